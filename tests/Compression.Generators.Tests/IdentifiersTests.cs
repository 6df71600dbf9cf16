using Compression.Generators.Naming;

namespace Compression.Generators.Tests;

[TestClass]
public sealed class IdentifiersTests
{
    [TestMethod]
    [DataRow("input", "input")]
    [DataRow("sr", "sr")]
    [DataRow("stateN", "stateN")]
    [DataRow("onnx::Flatten_0", "onnxFlatten0")]
    [DataRow("softmax_0.tmp_0", "softmax0Tmp0")]
    [DataRow("input_ids", "inputIds")]
    [DataRow("Input", "input")]
    [DataRow("HTMLData", "htmlData")]
    [DataRow("X", "x")]
    [DataRow("class", "@class")]
    [DataRow("int", "@int")]
    [DataRow("0_start", "_0Start")]
    [DataRow("123", "_123")]
    [DataRow("uint8 in", "uint8In")]
    [DataRow("a-b/c", "aBC")]
    [DataRow("héllo wörld", "hélloWörld")]
    [DataRow("::", "")]
    [DataRow("__x__", "x")]
    public void CamelCase(string onnxName, string expected) => Assert.AreEqual(expected, Identifiers.ToCamelCase(onnxName));

    [TestMethod]
    [DataRow("output", "Output")]
    [DataRow("softmax_0.tmp_0", "Softmax0Tmp0")]
    [DataRow("silero_vad_v5", "SileroVadV5")]
    [DataRow("ch_ppocr_mobile_v2.0_cls_infer", "ChPpocrMobileV20ClsInfer")]
    [DataRow("0out", "_0out")]
    [DataRow("stateN", "StateN")]
    public void PascalCase(string onnxName, string expected) => Assert.AreEqual(expected, Identifiers.ToPascalCase(onnxName));

    [TestMethod]
    public void NameScopeKeepsFirstComersAndSuffixesTheRestStably()
    {
        var scope = new NameScope("Result");
        var avoid = new HashSet<string> { "x", "x2" };
        Assert.AreEqual("x", scope.Take("x", avoid, out var renamed));
        Assert.IsFalse(renamed);
        Assert.AreEqual("x3", scope.Take("x", avoid, out renamed), "x2 is wanted by a later name");
        Assert.IsTrue(renamed);
        Assert.AreEqual("x2", scope.Take("x2", avoid, out renamed));
        Assert.IsFalse(renamed);
        Assert.AreEqual("Result2", scope.Take("Result", avoid, out renamed));
        Assert.AreEqual("@class", scope.Take("@class", avoid, out renamed));
        Assert.AreEqual("class2", scope.Take("@class", avoid, out renamed));
    }
}
