using System.Text.Json.Nodes;
using Compression.Build.Tool;
using Compression.Tool.Tests.Infrastructure;
using Onnx;

namespace Compression.Tool.Tests;

/// <summary><c>inspect</c>: the model's facts, and previews of settings that are what <c>compress</c> then writes.</summary>
[TestClass]
public sealed class InspectCommandTests
{
    private static readonly string Model = ToolRun.ClassifierModel;

    private static JsonNode Inspect(params string[] options)
    {
        var (code, output, error) = ToolRun.Run(["inspect", Model, "--json", .. options]);
        Assert.AreEqual(ExitCodes.Success, code, error);
        return JsonNode.Parse(output)!;
    }

    [TestMethod]
    public void FactsAreTheModelsSignatureOpsetsOperatorsAndWeights()
    {
        JsonNode facts = Inspect();
        Assert.AreEqual("x", (string)facts["inputs"]![0]!["name"]!);
        Assert.AreEqual("float", (string)facts["inputs"]![0]!["type"]!);
        Assert.AreEqual("[p2o.DynamicDimension.0, 3, p2o.DynamicDimension.1, p2o.DynamicDimension.2]", (string)facts["inputs"]![0]!["shape"]!);
        Assert.AreEqual("[p2o.DynamicDimension.3, 2]", (string)facts["outputs"]![0]!["shape"]!);
        Assert.AreEqual(9, (int)facts["opsets"]!["ai.onnx"]!);

        // Counted independently from the protobuf: this exporter stores every weight in a Constant node.
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Model));
        foreach (var group in model.Graph.Node.GroupBy(n => n.OpType)) Assert.AreEqual(group.Count(), (int)facts["operators"]![group.Key]!, group.Key);
        long constantBytes = model.Graph.Node.Where(n => n.OpType == "Constant").Select(n => n.Attribute.Single().T)
            .Sum(t => t.Dims.Aggregate(1L, (a, d) => a * d) * (t.DataType == (int)TensorProto.Types.DataType.Int64 ? 8 : 4));
        Assert.AreEqual(constantBytes, (long)facts["weightBytes"]!["Constant"]!);
        Assert.IsNull(facts["weightBytes"]!["initializer"], "no initializers in this model");
    }

    [TestMethod]
    public void PreviewIsExactlyWhatCompressWrites()
    {
        JsonNode preview = Inspect("--quantize", "Int8", "--target-opset", "13")["settings"]!.AsArray().Single()!;
        Assert.AreEqual("Quantize=Int8 TargetOpset=13", (string)preview["setting"]!);
        Assert.AreEqual(44, (int)preview["operators"]!["ConvInteger"]!, "opset 13 allows ConvInteger with dynamically quantized activations");
        Assert.AreEqual(-44, (int)preview["operators"]!["Conv"]!);

        string folder = ToolRun.NewFolder();
        var (code, output, error) = ToolRun.Run("compress", Model, "-o", Path.Combine(folder, "cls.onnx"), "--quantize", "Int8", "--target-opset", "13", "--json");
        Assert.AreEqual(ExitCodes.Success, code, error);
        JsonNode compressed = JsonNode.Parse(output)!;
        Assert.AreEqual((long)compressed["compressedBytes"]!, (long)preview["bytes"]!, "the preview is the model compress writes, byte for byte in size");
        Assert.AreEqual((string)compressed["summary"]!, (string)preview["summary"]!);
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void WithoutSettingsEveryStandardSettingIsPreviewed()
    {
        JsonArray previews = Inspect()["settings"]!.AsArray();
        CollectionAssert.AreEqual(
            new[] { "Quantize=Int8", "Quantize=UInt8", "Quantize=Int4", "Quantize=UInt4", "Quantize=Float16", "Quantize=BFloat16", "Sparsity=0.5 Pruning=Unstructured", "TargetOpset=26" },
            previews.Select(p => (string)p!["setting"]!).ToArray());
        JsonNode int8 = previews[0]!;
        Assert.IsTrue(int8["notes"]!.AsArray().Any(n => ((string)n!).Contains("opset 9 has no DynamicQuantizeLinear (opset 11): Conv weights are stored weight-only", StringComparison.Ordinal)), int8.ToJsonString());
        JsonNode int4 = previews[2]!;
        Assert.IsTrue(int4["notes"]!.AsArray().Any(n => ((string)n!).Contains("blocked int4 DequantizeLinear needs opset 21", StringComparison.Ordinal)), int4.ToJsonString());
        StringAssert.StartsWith((string)previews[7]!["summary"]!, "opset 9 -> 26");
        Assert.IsTrue(previews.All(p => p!["error"] is null), "every standard setting applies to this model");
    }

    [TestMethod]
    public void ASettingThatDoesNotApplyIsReportedWithItsCode()
    {
        JsonNode preview = Inspect("--target-opset", "6")["settings"]!.AsArray().Single()!;
        Assert.AreEqual("CMP4702", (string)preview["error"]!["code"]!, preview.ToJsonString());
    }

    [TestMethod]
    public void TextReportListsEverySection()
    {
        var (code, output, _) = ToolRun.Run("inspect", Model);
        Assert.AreEqual(ExitCodes.Success, code);
        foreach (string expected in new[] { "inputs:", "  x: float [", "opsets: ai.onnx 9", "operators: Constant 250, Conv 53", "weight bytes (", "  Quantize=Int8: 0.", "+1 com.microsoft:DynamicQuantizeMatMul", "  TargetOpset=26: " })
        {
            StringAssert.Contains(output, expected);
        }
    }

    [TestMethod]
    public void GarbageIsACodedError()
    {
        string folder = ToolRun.NewFolder();
        string garbage = Path.Combine(folder, "garbage.onnx");
        File.WriteAllText(garbage, "version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 4096\n");
        var (code, _, error) = ToolRun.Run("inspect", garbage);
        Assert.AreEqual(ExitCodes.ModelError, code);
        StringAssert.Contains(error, "error CMP1002");
        Directory.Delete(folder, recursive: true);
    }
}
