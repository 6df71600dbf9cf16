using System.Security.Cryptography;

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

    /// <summary>Progress only observes: with a listener the 8-bit and 4-bit passes write the bytes <see cref="OutputBytesTests"/> pins.</summary>
    [TestMethod]
    [DataRow("TargetOpset 13 + Int8", QuantizationType.Int8, 13)]
    [DataRow("Int4", QuantizationType.Int4, null)]
    public void ReportingProgressLeavesTheBytesAsPinned(string setting, QuantizationType type, int? targetOpset)
    {
        string folder = PassTestFiles.NewTempDirectory();
        string output = Path.Combine(folder, "cls.onnx");
        var recorder = new Recorder();
        ModelCompressor.Compress(PassTestFiles.ClassifierModel, output, new CompressionSettings { Quantize = type, TargetOpset = targetOpset, Validate = false }, recorder);

        Assert.IsTrue(recorder.Reports.Any(r => r.StageFraction > 0), "the quantization pass counted its weights");
        string pinned = File.ReadAllLines(PassTestFiles.Data("output-hashes.txt")).Single(l => l.StartsWith("cls | " + setting + " | ", StringComparison.Ordinal));
        Assert.AreEqual(pinned.Split(" | ")[2], Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(output))).ToLowerInvariant());
        Directory.Delete(folder, recursive: true);
    }
}
