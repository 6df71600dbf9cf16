using Onnx;

namespace Compression.Onnx.Tests.Pipeline;

/// <summary>The facade: settings routed to passes, coded errors for what no pass does, metadata, atomic output.</summary>
[TestClass]
public sealed class ModelCompressorTests
{
    private static string Compress(ModelProto model, CompressionSettings settings, out CompressionReport report, string name = "m.onnx")
    {
        string dir = PassTestFiles.NewTempDirectory();
        string source = TinyModels.Save(model, dir, name);
        string output = Path.Combine(dir, "out", name);
        report = ModelCompressor.Compress(source, output, settings);
        return output;
    }

    private static void AssertCode(string code, ModelProto model, CompressionSettings settings)
    {
        string dir = PassTestFiles.NewTempDirectory();
        string source = TinyModels.Save(model, dir, "m.onnx");
        string output = Path.Combine(dir, "out.onnx");
        var e = Assert.ThrowsExactly<CompressionException>(() => ModelCompressor.Compress(source, output, settings));
        Assert.AreEqual(code, e.Code, e.Message);
        Assert.AreEqual(source, e.FilePath);
        Assert.IsFalse(string.IsNullOrWhiteSpace(e.Help));
        Assert.IsFalse(File.Exists(output), "a failed compression leaves no output");
        Assert.IsEmpty(Directory.GetDirectories(dir), "no staging folder is left behind");
    }

    // Settings whose pass does not exist yet in this engine: a coded CMP4001, never a silent no-op.
    public static IEnumerable<object[]> NotYetSupported =>
    [
        [new CompressionSettings { Optimize = OptimizationLevel.Basic }],
        [new CompressionSettings { Quantize = QuantizationType.Int8, AutoFallback = true, Tolerance = "0.01" }],
        [new CompressionSettings { Quantize = QuantizationType.BFloat16, Mode = QuantizationMode.Full }],
    ];

    [TestMethod]
    [DynamicData(nameof(NotYetSupported))]
    public void Settings_without_a_pass_are_a_coded_error(CompressionSettings settings) =>
        AssertCode(DiagnosticCodes.UnsupportedSetting, TinyModels.MatMul(64, 64), settings);

    [TestMethod]
    public void Contradictory_settings_are_a_coded_error()
    {
        AssertCode(DiagnosticCodes.InvalidSettings, TinyModels.MatMul(64, 64), new CompressionSettings { Quantize = QuantizationType.Int8, Mode = QuantizationMode.Full });
        AssertCode(DiagnosticCodes.InvalidSettings, TinyModels.MatMul(64, 64), new CompressionSettings { Quantize = QuantizationType.Float16, Mode = QuantizationMode.Dynamic });
        AssertCode(DiagnosticCodes.InvalidSettings, TinyModels.MatMul(64, 64), new CompressionSettings { Quantize = QuantizationType.Int8, MinimumWeightElements = -1 });
        AssertCode(DiagnosticCodes.InvalidTolerance, TinyModels.MatMul(64, 64), new CompressionSettings { Quantize = QuantizationType.Int8, Tolerance = "-1" });
    }

    [TestMethod]
    public void Unknown_excluded_op_or_node_is_a_coded_error()
    {
        AssertCode(DiagnosticCodes.UnknownExcludedOp, TinyModels.MatMul(64, 64), new CompressionSettings { Quantize = QuantizationType.Int8, ExcludeOps = ["Matmul"] });
        AssertCode(DiagnosticCodes.UnknownExcludedNode, TinyModels.MatMul(64, 64), new CompressionSettings { Quantize = QuantizationType.Int8, ExcludeNodes = ["nope"] });
    }

    [TestMethod]
    public void Nothing_to_quantize_is_a_coded_error()
    {
        // Excluding the only MatMul leaves no weight; a tiny weight is below the 256-element default.
        AssertCode(DiagnosticCodes.NothingToCompress, TinyModels.MatMul(64, 64), new CompressionSettings { Quantize = QuantizationType.Int8, ExcludeOps = ["MatMul"] });
        AssertCode(DiagnosticCodes.NothingToCompress, TinyModels.MatMul(8, 8), new CompressionSettings { Quantize = QuantizationType.Int8 });
        AssertCode(DiagnosticCodes.NothingToCompress, TinyModels.MatMul(2, 2), new CompressionSettings { Quantize = QuantizationType.Float16 });
    }

    [TestMethod]
    public void Tolerance_exceeded_is_a_coded_error_and_leaves_nothing()
    {
        AssertCode(DiagnosticCodes.ToleranceExceeded, TinyModels.MatMul(64, 64), new CompressionSettings { Quantize = QuantizationType.Int8, Tolerance = "0" });
    }

    [TestMethod]
    public void Metadata_records_what_was_applied_and_the_signature_is_unchanged()
    {
        var original = TinyModels.MatMul(256, 128);
        string output = Compress(original, new CompressionSettings { Quantize = QuantizationType.Int8 }, out var report);
        var compressed = ModelProto.Parser.ParseFrom(File.ReadAllBytes(output));
        var metadata = compressed.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.AreEqual("Int8", metadata["compression.quantize"]);
        Assert.AreEqual("Dynamic", metadata["compression.mode"]);
        Assert.AreEqual("true", metadata["compression.per_channel"]);
        Assert.AreEqual("portable", metadata["compression.weight_range"]);
        Assert.AreEqual(report.Summary, metadata["compression.summary"]);
        Assert.AreEqual(original.Graph.Input.ToString(), compressed.Graph.Input.ToString());
        Assert.AreEqual(original.Graph.Output.ToString(), compressed.Graph.Output.ToString());

        // 7-bit weights (relative step error ~1/128) and 8-bit activations give an expected cosine near 0.99996 on these
        // uniform weights; 0.999 leaves a wide margin, and the per-element guarantee is checked on a seeded input below.
        Assert.IsNotNull(report.Validation);
        Assert.IsGreaterThan(0.999, report.Validation.MinCosineSimilarity);
        float[] x = TinyModels.Seeded(3 * 256, 99);
        float[] w = Quantization.DynamicErrorBound.Weights(original, "W");
        var bound = Quantization.DynamicErrorBound.ForProduct(x, 3, w, 128, Quantization.DynamicErrorBound.HalfWeightSteps(w, 256, 128, QuantizationType.Int8, WeightRange.Portable));
        Quantization.DynamicErrorBound.AssertWithin(TinyModels.Run(Path.Combine(Path.GetDirectoryName(output)!, "..", "m.onnx"), x, [3, 256]), TinyModels.Run(output, x, [3, 256]), bound, "Int8 x·W");
        Assert.IsLessThan(0.3, report.Ratio);
        StringAssert.Contains(report.ToString(), "MB ->");
    }

    [TestMethod]
    public void Quantize_none_copies_the_model_and_records_it()
    {
        string output = Compress(TinyModels.MatMul(16, 16), new CompressionSettings(), out var report);
        Assert.AreEqual("none", report.Summary);
        Assert.IsTrue(File.Exists(output));
        // Nothing was changed, so the outputs are the same bits: any difference (or a scaled output, which cosine alone misses) is a bug.
        Assert.AreEqual(0, report.Validation!.MaxAbsoluteDifference);
        Assert.AreEqual(1, report.Validation.MinCosineSimilarity, 1e-12);
    }

    [TestMethod]
    public void Same_input_and_settings_give_byte_identical_output()
    {
        var settings = new CompressionSettings { Quantize = QuantizationType.Int8, Validate = false };
        string a = Compress(TinyModels.ConvBatchNorm(8, 16), settings, out _);
        string b = Compress(TinyModels.ConvBatchNorm(8, 16), settings, out _);
        CollectionAssert.AreEqual(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }
}
