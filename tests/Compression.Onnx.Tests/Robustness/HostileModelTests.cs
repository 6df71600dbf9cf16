using Compression.Onnx.Tests.Pipeline;
using Onnx;

namespace Compression.Onnx.Tests.Robustness;

/// <summary>
/// Lying tensors under every setting, through the engine's boundary: the load rejects them with the real problem
/// before any pass runs (issue 19: 2^31 x 2^31 dims were MSB4018 through Parallel.For with Int8, and the wrong
/// CMP4602 with Pruning=Global).
/// </summary>
[TestClass]
public sealed class HostileModelTests
{
    public static IEnumerable<object[]> Cases =>
        from hostile in HostileModels.All
        from setting in SettingMatrix.Compact
        select new object[] { hostile.Name, setting.Name };

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void A_lying_tensor_is_its_own_coded_error_under_every_setting(string hostile, string setting)
    {
        var (_, build, code) = HostileModels.All.Single(h => h.Name == hostile);
        CompressionSettings settings = SettingMatrix.Named(setting);
        string dir = PassTestFiles.NewTempDirectory();
        string source = TinyModels.Save(build(), dir, "m.onnx");
        string output = Path.Combine(dir, "out", "m.onnx");
        var e = Assert.ThrowsExactly<CompressionException>(() =>
            EngineBoundary.Run(() => ModelCompressor.Compress(source, output, settings), source, settings, dir));
        Assert.AreEqual(code, e.Code, e.Message);
        Assert.AreEqual(source, e.FilePath);
        Assert.IsFalse(File.Exists(output), "no output");
        Assert.IsFalse(File.Exists(Path.Combine(dir, "m.onnx.error.log")), "not an internal error");
    }

    [TestMethod]
    public void Huge_dims_are_rejected_at_load_before_any_pass()
    {
        string dir = PassTestFiles.NewTempDirectory();
        string source = TinyModels.Save(HostileModels.HugeDims(), dir, "m.onnx");
        var e = Assert.ThrowsExactly<CompressionException>(() => Compression.Onnx.IO.OnnxModel.Load(source).Dispose());
        Assert.AreEqual(DiagnosticCodes.InvalidTensorShape, e.Code);
        StringAssert.Contains(e.Message, "'W'");
    }
}
