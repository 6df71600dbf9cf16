using System.Diagnostics;
using Compression.Onnx.Tests.Pipeline;
using Compression.Onnx.Tests.RealModels;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Onnx.Tests.Conversion;

/// <summary><c>Format=Ort</c>: ONNX Runtime writes its flatbuffer format after compression; validation runs on the .ort file.</summary>
[TestClass]
public sealed class OrtFormatTests
{
    [TestMethod]
    [DataRow(QuantizationType.None)]
    [DataRow(QuantizationType.Int8)]
    [DataRow(QuantizationType.Float16)]
    public void CompressedModelIsWrittenInOrtFormatAndValidated(QuantizationType type)
    {
        string folder = PassTestFiles.NewTempDirectory();
        var settings = new CompressionSettings { Quantize = type, Format = ModelFormat.Ort };
        CompressionReport report = ModelCompressor.Compress(PassTestFiles.ClassifierModel, Path.Combine(folder, "cls.onnx"), settings);
        Assert.AreEqual(Path.Combine(folder, "cls.ort"), report.OutputPath);
        CollectionAssert.AreEquivalent(new[] { "cls.ort" }, Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).ToArray(), "only the .ort file is left");
        byte[] bytes = File.ReadAllBytes(report.OutputPath);
        Assert.AreEqual("ORTM", System.Text.Encoding.ASCII.GetString(bytes, 4, 4), "flatbuffer file identifier of ONNX Runtime's format");
        Assert.IsNotNull(report.Validation, "validation ran on the .ort file");
        StringAssert.Contains(report.Summary, "ORT format");

        var (onnxPath, onnxReport) = CompressedModelCache.Get(PassTestFiles.ClassifierModel, settings with { Format = ModelFormat.Onnx });
        // The .onnx is validated with ONNX Runtime's default optimisations, the .ort as saved (optimisations off): float
        // rounding of fused kernels differs slightly, nothing more.
        Assert.AreEqual(onnxReport.Validation!.MaxAbsoluteDifference, report.Validation!.MaxAbsoluteDifference, 1e-4, "same computation as the ONNX file");
        Console.WriteLine($"{type}: .onnx {onnxReport.CompressedBytes} B, .ort {report.CompressedBytes} B; session creation {SessionMilliseconds(onnxPath):F1} ms (.onnx) vs {SessionMilliseconds(report.OutputPath):F1} ms (.ort), median of 15");

        // ONNX Runtime's ORT serializer orders some tables differently from run to run (measured: ~800 of 688,112 bytes
        // differ between two saves in one process), so ORT output is equivalent, not byte-identical (docs/metadata.md).
        // The flatbuffer pads each table to its alignment, so another order can also move the length by a few bytes
        // (seen: 8 of 688,344, about one run in four): the size must agree within that padding, the outputs exactly.
        CompressionReport again = ModelCompressor.Compress(PassTestFiles.ClassifierModel, Path.Combine(folder, "again.ort"), settings);
        Assert.IsLessThanOrEqualTo(64, Math.Abs(bytes.Length - File.ReadAllBytes(again.OutputPath).Length), "same size up to flatbuffer padding");
        CollectionAssert.AreEqual(ClassifierHarness.Probabilities(report.OutputPath, ClassifierHarness.StrokeImages()[0]), ClassifierHarness.Probabilities(again.OutputPath, ClassifierHarness.StrokeImages()[0]));
    }

    private static double SessionMilliseconds(string path)
    {
        var times = new List<double>();
        for (int i = 0; i < 15; i++)
        {
            var watch = Stopwatch.StartNew();
            using var options = new SessionOptions { IntraOpNumThreads = 1 };
            using var session = new InferenceSession(path, options);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
