namespace Compression.Onnx.Tests.Pipeline;

/// <summary>What <see cref="ModelCompressor"/> tells an <see cref="IProgress{T}"/>: every planned stage in order, and the weights of the quantization stage.</summary>
[TestClass]
public sealed class CompressionProgressTests
{
    private sealed class Recorder : IProgress<CompressionProgress>
    {
        public List<CompressionProgress> Reports { get; } = [];

        public void Report(CompressionProgress value)
        {
            lock (Reports) Reports.Add(value);
        }
    }

    [TestMethod]
    [DataRow(QuantizationType.Int8)]
    [DataRow(QuantizationType.Int4)]
    public void EveryPlannedStageIsReportedInOrderWithTheWeightsOfTheQuantizeStage(QuantizationType type)
    {
        string folder = PassTestFiles.NewTempDirectory();
        var recorder = new Recorder();
        ModelCompressor.Compress(PassTestFiles.ClassifierModel, Path.Combine(folder, "cls.onnx"), new CompressionSettings { Quantize = type, TargetOpset = 13 }, recorder);

        var starts = recorder.Reports.Where(r => r.StageFraction == 0).DistinctBy(r => r.Completed).ToList();
        CollectionAssert.AreEqual(new[] { "load", "TargetOpset", "Quantize", "save", "validate" }, starts.Select(r => r.Stage).ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 4 }, starts.Select(r => r.Completed).ToArray());
        Assert.IsTrue(recorder.Reports.All(r => r.Total == 5));
        var weights = recorder.Reports.Where(r => r.StageFraction > 0).ToList();
        Assert.IsTrue(weights.All(r => r.Stage == "Quantize" && r.StageFraction <= 1), "only the quantization pass counts weights");
        Assert.IsGreaterThan(0.9, weights.Max(r => r.StageFraction), "the weights of the stage are counted to the end");
        Directory.Delete(folder, recursive: true);
    }
}
