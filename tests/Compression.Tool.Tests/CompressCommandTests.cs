using Compression.Build.Tool;
using Compression.Onnx;

namespace Compression.Tool.Tests;

/// <summary>compress-model through its entry point: the build's bytes, coded errors with exit codes, no partial output.</summary>
[TestClass]
public sealed class CompressCommandTests
{
    private static readonly string Model = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../data/models/ch_ppocr_mobile_v2.0_cls_infer.onnx"));

    private static (int Code, string Out, string Error) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [TestMethod]
    public void CompressWritesTheBytesTheEngineWritesForTheSameSettings()
    {
        string folder = Directory.CreateTempSubdirectory("cmp-tool-").FullName;
        var (code, output, _) = Run("compress", Model, "-o", Path.Combine(folder, "cli.onnx"), "--quantize", "Int8", "--target-opset", "13");
        Assert.AreEqual(ExitCodes.Success, code);
        StringAssert.StartsWith(output, "ch_ppocr_mobile_v2.0_cls_infer.onnx -> opset 9 -> 13");
        ModelCompressor.Compress(Model, Path.Combine(folder, "engine.onnx"), new CompressionSettings { Quantize = QuantizationType.Int8, TargetOpset = 13 });
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(folder, "engine.onnx")), File.ReadAllBytes(Path.Combine(folder, "cli.onnx")));
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void GarbageFileIsACodedErrorAndLeavesNoOutput()
    {
        string folder = Directory.CreateTempSubdirectory("cmp-tool-").FullName;
        string garbage = Path.Combine(folder, "garbage.onnx");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var (code, _, error) = Run("compress", garbage, "-o", Path.Combine(folder, "out.onnx"), "--quantize", "Int8");
        Assert.AreEqual(ExitCodes.ModelError, code);
        StringAssert.Contains(error, "error CMP1002");
        Assert.DoesNotContain("   at ", error, "no stack trace");
        CollectionAssert.AreEqual(new[] { "garbage.onnx" }, Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).ToArray());
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void UnknownSettingValueIsTheBuildsCodedErrorAsJson()
    {
        var (code, output, _) = Run("compress", Model, "-o", Path.Combine(Path.GetTempPath(), "never.onnx"), "--quantize", "Int9", "--json");
        Assert.AreEqual(ExitCodes.SettingsError, code);
        StringAssert.Contains(output, "\"code\": \"CMP2001\"");
        Assert.IsFalse(File.Exists(Path.Combine(Path.GetTempPath(), "never.onnx")));
    }

    [TestMethod]
    public void UnknownOptionIsACodedError()
    {
        var (code, _, error) = Run("compress", Model, "-o", "x.onnx", "--quantise", "Int8");
        Assert.AreEqual(ExitCodes.SettingsError, code);
        StringAssert.Contains(error, "CMP5001");
    }

    [TestMethod]
    public void InspectAndValidateDescribeTheModel()
    {
        var (code, output, _) = Run("inspect", Model, "--json");
        Assert.AreEqual(ExitCodes.Success, code);
        StringAssert.Contains(output, "\"ai.onnx\": 9");
        StringAssert.Contains(output, "\"Conv\": 53");
        var (validateCode, report, _) = Run("validate", Model, Model, "--tolerance", "0");
        Assert.AreEqual(ExitCodes.Success, validateCode, report);
        StringAssert.Contains(report, "max |d| 0");
    }
}
