using System.Runtime.InteropServices;
using Compression.Onnx.Calibration;
using Compression.Onnx.Tests.Pipeline;
using Google.Protobuf;

namespace Compression.Onnx.Tests.Calibration;

/// <summary>Sample folders in both layouts: what is accepted, what each mistake is reported as, and that sets are read one at a time.</summary>
[TestClass]
public sealed class SampleFolderTests
{
    [TestMethod]
    public void A_numpy_folder_validates_like_the_onnx_layout()
    {
        string dir = PassTestFiles.NewTempDirectory();
        string model = TinyModels.Save(TinyModels.MatMul(16, 8), dir, "m.onnx");
        for (int s = 0; s < 3; s++)
        {
            NpyFiles.Write(Path.Combine(dir, "npy", $"set_{s}", "x.npy"), NpyFiles.Floats([2, 16], TinyModels.Seeded(32, s)));
            string pb = Directory.CreateDirectory(Path.Combine(dir, "pb", $"test_data_set_{s}")).FullName;
            File.WriteAllBytes(Path.Combine(pb, "input_0.pb"), TinyModels.Floats("x", [2, 16], TinyModels.Seeded(32, s)).ToByteArray());
        }

        var npy = ModelValidator.Validate(model, model, Path.Combine(dir, "npy"));
        var onnx = ModelValidator.Validate(model, model, Path.Combine(dir, "pb"));
        Assert.AreEqual(3, npy.InputCount);
        Assert.AreEqual(onnx.Outputs.Single().ElementCount, npy.Outputs.Single().ElementCount);
    }

    [TestMethod]
    public void Input_names_with_characters_a_file_cannot_hold_use_underscores()
    {
        Assert.AreEqual("input_0_ids", SampleFolder.SafeFileName("input:0/ids"));
        string dir = PassTestFiles.NewTempDirectory();
        NpyFiles.Write(Path.Combine(dir, "set_0", "input_0.npy"), NpyFiles.Floats([1], [1]));
        var folder = SampleFolder.Open(dir, "CalibrationData", [new SampleInput("input:0", Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, [null])]);
        Assert.AreEqual("input:0", folder.Read().Single().Single().Name);
    }

    [TestMethod]
    public void Each_mistake_has_its_code_and_names_the_file_and_input()
    {
        string dir = PassTestFiles.NewTempDirectory();
        string model = TinyModels.Save(TinyModels.MatMul(16, 8), dir, "m.onnx");
        string set = Path.Combine(dir, "data", "set_0");

        Expect(DiagnosticCodes.SampleDataMissing, model, Path.Combine(dir, "nowhere"), "does not exist");
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        Expect(DiagnosticCodes.SampleDataMissing, model, Path.Combine(dir, "data"), "no test_data_set_*");
        Directory.CreateDirectory(set);
        Expect(DiagnosticCodes.SampleDataMissing, model, Path.Combine(dir, "data"), "no input_*.pb or .npy");

        NpyFiles.Write(Path.Combine(set, "X.npy"), NpyFiles.Floats([2, 16], new float[32]));
        var wrongName = Expect(DiagnosticCodes.SampleInputNamesMismatch, model, Path.Combine(dir, "data"), "no model input is named 'X'");
        Assert.AreEqual(Path.Combine(set, "X.npy"), wrongName.FilePath);
        File.Delete(Path.Combine(set, "X.npy"));

        NpyFiles.Write(Path.Combine(set, "x.npy"), NpyFiles.Bytes("<f8", [2, 16], new byte[32 * 8]));
        var type = Expect(DiagnosticCodes.SampleTypeMismatch, model, Path.Combine(dir, "data"), "input 'x' is Double");
        Assert.AreEqual(Path.Combine(set, "x.npy"), type.FilePath);

        NpyFiles.Write(Path.Combine(set, "x.npy"), NpyFiles.Floats([2, 15], new float[30]));
        Expect(DiagnosticCodes.SampleShapeMismatch, model, Path.Combine(dir, "data"), "[2, 15] in the file, but the model takes [?, 16]");
        NpyFiles.Write(Path.Combine(set, "x.npy"), NpyFiles.Floats([32], new float[32]));
        Expect(DiagnosticCodes.SampleShapeMismatch, model, Path.Combine(dir, "data"), "input 'x'");

        File.WriteAllBytes(Path.Combine(set, "input_0.pb"), TinyModels.Floats("x", [2, 16], new float[32]).ToByteArray());
        Expect(DiagnosticCodes.SampleInputNamesMismatch, model, Path.Combine(dir, "data"), "mixes");
    }

    [TestMethod]
    public void A_set_without_one_of_the_inputs_names_the_missing_input()
    {
        string dir = PassTestFiles.NewTempDirectory();
        NpyFiles.Write(Path.Combine(dir, "set_0", "input.npy"), NpyFiles.Floats([1, 512], new float[512]));
        var e = Assert.ThrowsExactly<CompressionException>(() => ModelValidator.Validate(PassTestFiles.VadModel, PassTestFiles.VadModel, dir));
        Assert.AreEqual(DiagnosticCodes.SampleInputNamesMismatch, e.Code);
        Assert.Contains("'state'", e.Message);
    }

    [TestMethod]
    public void Sets_are_read_one_at_a_time()
    {
        // The second set is corrupt: taking only the first must not read it, so at most one set is ever in memory.
        string dir = PassTestFiles.NewTempDirectory();
        NpyFiles.Write(Path.Combine(dir, "set_0", "x.npy"), NpyFiles.Floats([1, 4], [1, 2, 3, 4]));
        NpyFiles.Write(Path.Combine(dir, "set_1", "x.npy"), [1, 2, 3]);
        var inputs = SampleInput.FromNames(["x"]);
        var folder = SampleFolder.Open(dir, "CalibrationData", inputs);
        Assert.HasCount(2, folder.Sets);
        Assert.AreEqual(4, folder.Read().First().Single().Data.Length);
        var e = Assert.ThrowsExactly<CompressionException>(() => folder.Read().ToList());
        Assert.AreEqual(DiagnosticCodes.SampleFileCorrupt, e.Code);
        Assert.AreEqual(Path.Combine(dir, "set_1", "x.npy"), e.FilePath);
    }

    [TestMethod]
    public void Silero_vad_validates_on_numpy_windows_with_a_scalar_rate()
    {
        string dir = PassTestFiles.NewTempDirectory();
        for (int s = 0; s < 2; s++)
        {
            string set = Path.Combine(dir, $"set_{s}");
            float[] window = Enumerable.Range(0, 512).Select(i => 0.3f * MathF.Sin((i + (s * 100)) * 0.05f)).ToArray();
            NpyFiles.Write(Path.Combine(set, "input.npy"), NpyFiles.Floats([1, 512], window));
            NpyFiles.Write(Path.Combine(set, "state.npy"), NpyFiles.Floats([2, 1, 128], new float[256]));
            NpyFiles.Write(Path.Combine(set, "sr.npy"), NpyFiles.Bytes("<i8", [], MemoryMarshal.AsBytes(new long[] { 16000 }.AsSpan())));
        }

        var report = ModelValidator.Validate(PassTestFiles.VadModel, PassTestFiles.VadModel, dir);
        Assert.AreEqual(2, report.InputCount);
        Assert.IsEmpty(report.SynthesisedIntegerInputs);
        Assert.AreEqual(0, report.MaxAbsoluteDifference);
    }

    private static CompressionException Expect(string code, string model, string folder, string fragment)
    {
        var e = Assert.ThrowsExactly<CompressionException>(() => ModelValidator.Validate(model, model, folder));
        Assert.AreEqual(code, e.Code, e.Message);
        Assert.Contains(fragment, e.Message);
        Assert.Contains("ValidationData", e.Message);
        return e;
    }
}
