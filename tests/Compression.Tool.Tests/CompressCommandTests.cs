using System.Text.Json.Nodes;
using Compression.Build.Tool;
using Compression.Onnx;
using Compression.Tool.Tests.Infrastructure;

namespace Compression.Tool.Tests;

/// <summary><c>compress</c> through the tool's entry point: the engine's bytes, coded errors with exit codes, no partial output.</summary>
[TestClass]
public sealed class CompressCommandTests
{
    private static readonly string Model = ToolRun.ClassifierModel;

    [TestMethod]
    public void CompressWritesTheBytesTheEngineWritesForTheSameSettings()
    {
        string folder = ToolRun.NewFolder();
        var (code, output, _) = ToolRun.Run("compress", Model, "-o", Path.Combine(folder, "cli.onnx"), "--quantize", "Int8", "--target-opset", "13");
        Assert.AreEqual(ExitCodes.Success, code);
        StringAssert.StartsWith(output, "ch_ppocr_mobile_v2.0_cls_infer.onnx -> opset 9 -> 13");
        ModelCompressor.Compress(Model, Path.Combine(folder, "engine.onnx"), new CompressionSettings { Quantize = QuantizationType.Int8, TargetOpset = 13 });
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(folder, "engine.onnx")), File.ReadAllBytes(Path.Combine(folder, "cli.onnx")));
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void JsonResultDescribesTheWrittenFile()
    {
        string folder = ToolRun.NewFolder();
        string target = Path.Combine(folder, "cls.onnx");
        var (code, output, error) = ToolRun.Run("compress", Model, "-o", target, "--quantize", "Float16", "--json");
        Assert.AreEqual(ExitCodes.Success, code, error);
        JsonNode result = JsonNode.Parse(output)!;
        Assert.AreEqual(target, (string)result["output"]!);
        Assert.AreEqual(new FileInfo(target).Length, (long)result["compressedBytes"]!);
        Assert.AreEqual(new FileInfo(Model).Length, (long)result["originalBytes"]!);
        Assert.AreEqual("softmax_0.tmp_0", (string)result["outputs"]![0]!["name"]!);
        Assert.AreEqual((double)result["maxAbsoluteDifference"]!, (double)result["outputs"]![0]!["maxAbsoluteDifference"]!);
        Assert.AreEqual(string.Empty, error, "no progress or warning text in JSON mode");
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void OrtFormatWritesTheOrtFileBesideTheGivenName()
    {
        string folder = ToolRun.NewFolder();
        var (code, output, error) = ToolRun.Run("compress", Model, "-o", Path.Combine(folder, "cls.onnx"), "--quantize", "Int8", "--format", "Ort", "--json");
        Assert.AreEqual(ExitCodes.Success, code, error);
        Assert.AreEqual(Path.Combine(folder, "cls.ort"), (string)JsonNode.Parse(output)!["output"]!);
        CollectionAssert.AreEqual(new[] { "cls.ort" }, Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).ToArray());
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void GarbageFileIsACodedErrorAndLeavesNoOutput(bool json)
    {
        string folder = ToolRun.NewFolder();
        string garbage = Path.Combine(folder, "garbage.onnx");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var (code, output, error) = ToolRun.Run(["compress", garbage, "-o", Path.Combine(folder, "out.onnx"), "--quantize", "Int8", .. json ? new[] { "--json" } : []]);
        Assert.AreEqual(ExitCodes.ModelError, code);
        if (json) Assert.AreEqual("CMP1002", (string)JsonNode.Parse(output)!["error"]!["code"]!);
        else StringAssert.Contains(error, garbage + ": error CMP1002: ");
        Assert.DoesNotContain("   at ", output + error, "no stack trace");
        CollectionAssert.AreEqual(new[] { "garbage.onnx" }, Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).ToArray());
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void TruncatedModelIsACodedErrorAndLeavesNoOutput()
    {
        string folder = ToolRun.NewFolder();
        string truncated = Path.Combine(folder, "truncated.onnx");
        byte[] bytes = File.ReadAllBytes(Model);
        File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var (code, _, error) = ToolRun.Run("compress", truncated, "-o", Path.Combine(folder, "out.onnx"), "--quantize", "Int8");
        Assert.AreEqual(ExitCodes.ModelError, code, error);
        StringAssert.Matches(error, new System.Text.RegularExpressions.Regex(@"error CMP1\d{3}: "));
        CollectionAssert.AreEqual(new[] { "truncated.onnx" }, Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).ToArray());
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void MissedToleranceIsCmp4012AndLeavesNoOutput()
    {
        string folder = ToolRun.NewFolder();
        var (code, _, error) = ToolRun.Run("compress", Model, "-o", Path.Combine(folder, "out.onnx"), "--quantize", "Int8", "--tolerance", "cosine>=0.99999999");
        Assert.AreEqual(ExitCodes.ModelError, code, error);
        StringAssert.Contains(error, "error CMP4012: ");
        Assert.IsEmpty(Directory.GetFileSystemEntries(folder), "validation runs before the file is moved into place");
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void CancelledCompressionIs130AndLeavesNoOutput()
    {
        string folder = ToolRun.NewFolder();
        var stderr = new StringWriter();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        int code = CompressCommand.Compress(Model, Path.Combine(folder, "out.onnx"), [("Quantize", "Int8")], new Output(false, new StringWriter(), stderr), cancelled.Token);
        Assert.AreEqual(ExitCodes.Cancelled, code, stderr.ToString());
        StringAssert.Contains(stderr.ToString(), "cancelled; nothing was written");
        Assert.IsEmpty(Directory.GetFileSystemEntries(folder));
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void UnexpectedFailureIsCmp0000WithExitCode3AndNoStackTrace()
    {
        var stderr = new StringWriter();
        int code = CommandLine.Guard(new Output(false, new StringWriter(), stderr), Model, null, () => throw new InvalidOperationException("a bug"), CancellationToken.None);
        Assert.AreEqual(ExitCodes.Unexpected, code);
        StringAssert.Contains(stderr.ToString(), "error CMP0000: Unexpected error while compressing 'ch_ppocr_mobile_v2.0_cls_infer.onnx': InvalidOperationException: a bug");
        Assert.DoesNotContain("   at ", stderr.ToString(), "the trace goes to the log file the message names");
    }

    [TestMethod]
    public void TheBuildsSettingWarningsAreShown()
    {
        string folder = ToolRun.NewFolder();
        string set = Directory.CreateDirectory(Path.Combine(folder, "calibration", "test_data_set_0")).FullName;
        var x = new global::Onnx.TensorProto { Name = "x", DataType = (int)global::Onnx.TensorProto.Types.DataType.Float };
        x.Dims.AddRange([1, 3, 48, 192]);
        x.FloatData.AddRange(new float[3 * 48 * 192]);
        File.WriteAllBytes(Path.Combine(set, "input_0.pb"), Google.Protobuf.MessageExtensions.ToByteArray(x));
        var (code, _, error) = ToolRun.Run("compress", Model, "-o", Path.Combine(folder, "out.onnx"), "--quantize", "Int8", "--calibration-data", Path.Combine(folder, "calibration"));
        Assert.AreEqual(ExitCodes.Success, code, error);
        StringAssert.Contains(error, "warning CMP2011: ", "Mode=Dynamic reads no calibration data, as the build warns");
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void UnknownSettingValueIsTheBuildsCodedErrorAsJson()
    {
        var (code, output, _) = ToolRun.Run("compress", Model, "-o", Path.Combine(Path.GetTempPath(), "never.onnx"), "--quantize", "Int9", "--json");
        Assert.AreEqual(ExitCodes.SettingsError, code);
        Assert.AreEqual("CMP2001", (string)JsonNode.Parse(output)!["error"]!["code"]!);
        Assert.IsFalse(File.Exists(Path.Combine(Path.GetTempPath(), "never.onnx")));
    }

    [TestMethod]
    public void UnknownOptionIsACodedError()
    {
        var (code, _, error) = ToolRun.Run("compress", Model, "-o", "x.onnx", "--quantise", "Int8");
        Assert.AreEqual(ExitCodes.SettingsError, code);
        StringAssert.Contains(error, "CMP5001");
    }

    [TestMethod]
    public void OutputOverTheInputIsRefused()
    {
        string folder = ToolRun.NewFolder();
        string copy = Path.Combine(folder, "cls.onnx");
        File.Copy(Model, copy);
        var (code, _, error) = ToolRun.Run("compress", copy, "-o", copy, "--quantize", "Int8");
        Assert.AreEqual(ExitCodes.SettingsError, code);
        StringAssert.Contains(error, "error CMP5002");
        CollectionAssert.AreEqual(File.ReadAllBytes(Model), File.ReadAllBytes(copy), "the source is never written");
        Directory.Delete(folder, recursive: true);
    }
}
