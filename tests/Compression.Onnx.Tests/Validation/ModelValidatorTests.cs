using Compression.Onnx.Tests.Pipeline;
using Google.Protobuf;
using Onnx;

namespace Compression.Onnx.Tests.Validation;

/// <summary>The validator: inputs synthesised from the signature or read from test-data folders, per-output deviation.</summary>
[TestClass]
public sealed class ModelValidatorTests
{
    [TestMethod]
    public void A_model_compared_with_itself_has_no_deviation()
    {
        var report = ModelValidator.Validate(PassTestFiles.ClassifierModel, PassTestFiles.ClassifierModel, sampleCount: 2);
        Assert.AreEqual(2, report.InputCount);
        Assert.AreEqual("synthesised", report.InputSource);
        Assert.AreEqual("softmax_0.tmp_0", report.Outputs.Single().Name);
        Assert.AreEqual(0, report.MaxAbsoluteDifference);
        Assert.AreEqual(1, report.MinCosineSimilarity, 1e-12);
    }

    [TestMethod]
    public void Unknown_dims_follow_the_documented_rules_on_silero_vad()
    {
        // input [?, ?] -> [1, 256]; state [2, ?, 128] -> [2, 1, 128] (next dim fixed: batch-like); sr int64 -> 0.
        var report = ModelValidator.Validate(PassTestFiles.VadModel, PassTestFiles.VadModel, sampleCount: 1);
        Assert.IsNull(report.SkippedReason);
        Assert.AreEqual(1, report.InputCount);
        Assert.AreEqual(2 * 128, report.Outputs.Single(o => o.Name == "stateN").ElementCount);
    }

    [TestMethod]
    public void Deviation_of_a_quantized_model_is_measured_per_output()
    {
        string dir = PassTestFiles.NewTempDirectory();
        string output = Path.Combine(dir, "vad.onnx");
        ModelCompressor.Compress(PassTestFiles.VadModel, output, new CompressionSettings { Quantize = QuantizationType.Int8, Validate = false });
        var report = ModelValidator.Validate(PassTestFiles.VadModel, output, sampleCount: 3);
        Assert.HasCount(2, report.Outputs);
        // The speech probability moves little; the LSTM state (unbounded cell values) moves more.
        Assert.IsTrue(report.Outputs.All(o => o.MaxAbsoluteDifference > 0), string.Join("; ", report.Outputs));
        Assert.IsLessThan(0.1, report.Outputs.Single(o => o.Name == "output").MaxAbsoluteDifference);
        Assert.IsTrue(report.Outputs.All(o => o.CosineSimilarity > 0.99));
        Assert.IsTrue(report.Outputs.All(o => o.MeanAbsoluteDifference <= o.MaxAbsoluteDifference));
    }

    [TestMethod]
    public void Validation_data_folder_in_onnx_test_layout_is_used()
    {
        string dir = PassTestFiles.NewTempDirectory();
        string model = TinyModels.Save(TinyModels.MatMul(16, 8), dir, "m.onnx");
        for (int s = 0; s < 3; s++)
        {
            string set = Directory.CreateDirectory(Path.Combine(dir, "data", $"test_data_set_{s}")).FullName;
            var x = TinyModels.Floats(string.Empty, [2, 16], TinyModels.Seeded(32, s));
            File.WriteAllBytes(Path.Combine(set, "input_0.pb"), x.ToByteArray());
        }

        var report = ModelValidator.Validate(model, model, Path.Combine(dir, "data"));
        Assert.AreEqual(3, report.InputCount);
        Assert.AreEqual(3 * 2 * 8, report.Outputs.Single().ElementCount);
    }

    [TestMethod]
    public void Bad_validation_data_is_a_coded_error()
    {
        string dir = PassTestFiles.NewTempDirectory();
        string model = TinyModels.Save(TinyModels.MatMul(16, 8), dir, "m.onnx");
        var missing = Assert.ThrowsExactly<CompressionException>(() => ModelValidator.Validate(model, model, Path.Combine(dir, "nowhere")));
        Assert.AreEqual(DiagnosticCodes.SampleDataMissing, missing.Code);

        string set = Directory.CreateDirectory(Path.Combine(dir, "data", "test_data_set_0")).FullName;
        var wrongShape = TinyModels.Floats(string.Empty, [2, 5], TinyModels.Seeded(10, 1));
        File.WriteAllBytes(Path.Combine(set, "input_0.pb"), wrongShape.ToByteArray());
        var rejected = Assert.ThrowsExactly<CompressionException>(() => ModelValidator.Validate(model, model, Path.Combine(dir, "data")));
        Assert.AreEqual(DiagnosticCodes.SampleShapeMismatch, rejected.Code);

        File.WriteAllBytes(Path.Combine(set, "input_0.pb"), [0xFF, 0xFF, 0xFF]);
        var garbage = Assert.ThrowsExactly<CompressionException>(() => ModelValidator.Validate(model, model, Path.Combine(dir, "data")));
        Assert.AreEqual(DiagnosticCodes.SampleFileCorrupt, garbage.Code);
    }

    [TestMethod]
    public void A_compressed_file_that_does_not_load_is_a_coded_error()
    {
        string dir = PassTestFiles.NewTempDirectory();
        string model = TinyModels.Save(TinyModels.MatMul(16, 8), dir, "m.onnx");
        string broken = Path.Combine(dir, "broken.onnx");
        File.WriteAllBytes(broken, [1, 2, 3, 4]);
        var e = Assert.ThrowsExactly<CompressionException>(() => ModelValidator.Validate(model, broken));
        Assert.AreEqual(DiagnosticCodes.CompressedModelFailsToRun, e.Code);
        Assert.AreEqual(broken, e.FilePath);
    }
}
