using System.Text.Json.Nodes;
using Compression.Build.Tool;
using Compression.Onnx;
using Compression.Tool.Tests.Infrastructure;

namespace Compression.Tool.Tests;

/// <summary><c>validate</c>: the build's validation on two files, its Tolerance grammar and its CMP4012.</summary>
[TestClass]
public sealed class ValidateCommandTests
{
    private static readonly string Model = ToolRun.ClassifierModel;
    private static readonly Lazy<string> Int8 = new(() =>
    {
        string path = Path.Combine(ToolRun.NewFolder(), "cls.int8.onnx");
        ModelCompressor.Compress(Model, path, new CompressionSettings { Quantize = QuantizationType.Int8, Validate = false });
        return path;
    });

    [ClassCleanup]
    public static void DeleteModel()
    {
        if (Int8.IsValueCreated) Directory.Delete(Path.GetDirectoryName(Int8.Value)!, recursive: true);
    }

    [TestMethod]
    public void AModelAgainstItselfMeetsAZeroBudget()
    {
        var (code, output, error) = ToolRun.Run("validate", Model, Model, "--tolerance", "maxabs<=0");
        Assert.AreEqual(ExitCodes.Success, code, error);
        StringAssert.Contains(output, "4 inputs (synthesised): max |d| 0, min cosine 1");
        StringAssert.Contains(output, "Tolerance \"maxabs<=0\": met");
    }

    [TestMethod]
    public void TheMeasuresAreTheBuildsForTheSameFiles()
    {
        var (code, output, error) = ToolRun.Run("validate", Model, Int8.Value, "--json");
        Assert.AreEqual(ExitCodes.Success, code, error);
        JsonNode result = JsonNode.Parse(output)!;
        ValidationReport build = ModelValidator.Validate(Model, Int8.Value);
        Assert.AreEqual(build.InputCount, (int)result["inputs"]!);
        Assert.AreEqual(build.MaxAbsoluteDifference, (double)result["maxAbsoluteDifference"]!);
        Assert.AreEqual(build.Outputs[0].CosineSimilarity, (double)result["outputs"]![0]!["cosine"]!);
        Assert.IsNull(result["tolerance"], "no budget given, no tolerance section");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void AMissedBudgetIsCmp4012WithTheMeasures(bool json)
    {
        var (code, output, error) = ToolRun.Run(["validate", Model, Int8.Value, "--tolerance", "cosine>=0.99999999", .. json ? new[] { "--json" } : []]);
        Assert.AreEqual(ExitCodes.ModelError, code);
        if (json)
        {
            JsonNode result = JsonNode.Parse(output)!;
            Assert.AreEqual("CMP4012", (string)result["error"]!["code"]!);
            Assert.IsFalse((bool)result["tolerance"]!["met"]!);
            StringAssert.StartsWith((string)result["tolerance"]!["misses"]![0]!, "output 'softmax_0.tmp_0': cosine ");
        }
        else
        {
            StringAssert.Contains(output, "  softmax_0.tmp_0: max |d| ");
            StringAssert.Contains(output, "Tolerance \"cosine>=0.99999999\": missed: output 'softmax_0.tmp_0': cosine ");
            StringAssert.Contains(error, "error CMP4012: The compressed model misses Tolerance=\"cosine>=0.99999999\" over 4 inputs (synthesised)");
        }
    }

    [TestMethod]
    public void BadBudgetGrammarIsASettingsError()
    {
        var (code, _, error) = ToolRun.Run("validate", Model, Model, "--tolerance", "cosine>0.9");
        Assert.AreEqual(ExitCodes.SettingsError, code);
        StringAssert.Contains(error, "error CMP4210");
    }

    [TestMethod]
    public void MissingDataFolderIsASettingsError()
    {
        var (code, _, error) = ToolRun.Run("validate", Model, Model, "--data", Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N")));
        Assert.AreEqual(ExitCodes.SettingsError, code);
        StringAssert.Contains(error, "error CMP2010");
    }

    [TestMethod]
    public void AnOrtFileIsValidatedLikeAnOnnxFile()
    {
        string folder = ToolRun.NewFolder();
        string ort = ModelCompressor.Compress(Model, Path.Combine(folder, "cls.onnx"), new CompressionSettings { Quantize = QuantizationType.Int8, Format = ModelFormat.Ort, Validate = false }).OutputPath;
        var (code, output, error) = ToolRun.Run("validate", Model, ort, "--tolerance", "top1>=1");
        Assert.AreEqual(ExitCodes.Success, code, error);
        StringAssert.Contains(output, "Tolerance \"top1>=1\": met");
        Directory.Delete(folder, recursive: true);
    }
}
