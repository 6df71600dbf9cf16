using Compression.Kernels;
using Compression.Onnx.FourBit;
using Compression.Onnx.IO;
using Compression.Onnx.Tests.IO;
using Onnx;

namespace Compression.Onnx.Tests.FourBit;

/// <summary>
/// A 4-layer 1024-wide MLP (MatMul + Relu) with Gaussian weights and a few outlier input channels per layer:
/// file size and output error (cosine, SQNR against fp32) for Int4/UInt4, block 16..128, RTN vs clip search.
/// The lines printed are the table in docs/reports/int4.md.
/// </summary>
[TestClass]
public sealed class SyntheticMlpTests
{
    private const int Width = 1024;
    private const int Batch = 32;

    private static readonly Lazy<(string Folder, string Path, float[] Input, float[] Output, long Bytes)> Original = new(() =>
    {
        string folder = Directory.CreateTempSubdirectory("cmp-int4-mlp-").FullName;
        var model = FourBitModels.Mlp([Width, Width, Width, Width, Width], (layer, k, n) => FourBitModels.WeightWithOutliers(k, n, 100 + layer, 1f / MathF.Sqrt(k)));
        float[] input = FourBitModels.Gaussian(Batch * Width, 77);
        string path = System.IO.Path.Combine(folder, "fp32.onnx");
        float[] output = FourBitModels.Run(model, folder, "fp32", input, Batch, Width);
        return (folder, path, input, output, new FileInfo(path).Length);
    });

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(QuantizationType Type, int BlockSize, bool Search, int AccuracyLevel), Result> Results = new();

    [ClassCleanup]
    public static void DeleteFiles()
    {
        if (Original.IsValueCreated)
        {
            Directory.Delete(Original.Value.Folder, recursive: true);
        }
    }

    [TestMethod]
    [DataRow(QuantizationType.Int4)]
    [DataRow(QuantizationType.UInt4)]
    public void Block32IsAtMost17PercentAndTheClipSearchBeatsRoundToNearest(QuantizationType type)
    {
        var rtn = Measure(type, 32, search: false, accuracyLevel: 1);
        var searched = Measure(type, 32, search: true, accuracyLevel: 1);
        var fast = Measure(type, 32, search: true, accuracyLevel: 4);

        Assert.IsLessThanOrEqualTo(0.17, searched.Ratio, "block 32 file size against fp32");
        Assert.IsGreaterThan(rtn.Cosine, searched.Cosine, "the clip search lowers the output error");
        Assert.IsGreaterThan(rtn.Sqnr + 0.2, searched.Sqnr, "by a measurable margin (SQNR dB; measured +0.3 Int4, +0.8 UInt4)");
        Assert.IsGreaterThan(searched.Cosine - 0.002, fast.Cosine, "int8 activations (accuracy_level 4) cost little on top");
    }

    [TestMethod]
    [DataRow(QuantizationType.Int4)]
    [DataRow(QuantizationType.UInt4)]
    public void LargerBlocksAreSmallerAndLessAccurate(QuantizationType type)
    {
        Result previous = Measure(type, 16, search: true, accuracyLevel: 1);
        foreach (int blockSize in new[] { 32, 64, 128 })
        {
            var searched = Measure(type, blockSize, search: true, accuracyLevel: 1);
            var rtn = Measure(type, blockSize, search: false, accuracyLevel: 1);
            Assert.IsLessThan(previous.Ratio, searched.Ratio, $"block {blockSize} stores fewer scales");
            Assert.IsLessThan(previous.Sqnr, searched.Sqnr, $"block {blockSize} is less accurate");
            Assert.IsGreaterThanOrEqualTo(rtn.Sqnr, searched.Sqnr, $"block {blockSize}: the search never loses");
            previous = searched;
        }

        Measure(type, 16, search: false, accuracyLevel: 1);
    }

    private static Result Measure(QuantizationType type, int blockSize, bool search, int accuracyLevel) =>
        Results.GetOrAdd((type, blockSize, search, accuracyLevel), key => MeasureOnce(key.Type, key.BlockSize, key.Search, key.AccuracyLevel));

    private static Result MeasureOnce(QuantizationType type, int blockSize, bool search, int accuracyLevel)
    {
        var original = Original.Value;
        string path = Path.Combine(original.Folder, $"{type}-{blockSize}-{search}-{accuracyLevel}.onnx");
        var options = new FourBitOptions { Quantize = type, BlockSize = blockSize, SearchScales = search, AccuracyLevel = accuracyLevel };
        using (var model = OnnxModel.Load(original.Path))
        {
            new FourBitQuantizer(options).Quantize(model);
            model.Save(path);
        }

        float[] output = FourBitModels.RunFile(path, "x", original.Input, Batch, Width);
        var error = ErrorMetrics.Compare(original.Output, output);
        var result = new Result((double)new FileInfo(path).Length / original.Bytes, error.CosineSimilarity, error.SqnrDecibels);
        Console.WriteLine($"| {type} | {blockSize} | {(search ? "clip search" : "RTN")} | {accuracyLevel} | {new FileInfo(path).Length:N0} | {result.Ratio:P1} | {result.Cosine:F5} | {result.Sqnr:F2} |");
        return result;
    }

    private sealed record Result(double Ratio, double Cosine, double Sqnr);
}
