using static Compression.Onnx.Tests.Conversion.ConversionHarness;
using static Compression.Onnx.Tests.Pipeline.TinyModels;

namespace Compression.Onnx.Tests.Conversion;

/// <summary>Going down, a node using what only its newer schema allows is refused with ONNX Runtime's reason, never written.</summary>
[TestClass]
public sealed class DownConversionCheckTests
{
    [TestMethod]
    public void NegativeFlattenAxisBeforeOpset11IsRefused()
    {
        var model = OneNode(13, Node("Flatten", ["x"], ["y"], Int("axis", -1)), [("x", [2, 3, 4])]);
        AssertSameOutputs(model, 11);
        var refused = Assert.ThrowsExactly<CompressionException>(() => Convert(model, 10));
        Assert.AreEqual(DiagnosticCodes.ConvertedModelRejected, refused.Code);
        StringAssert.Contains(refused.Message, "converted from opset 13 down to opset 10 does not load in ONNX Runtime");
        StringAssert.Contains(refused.Message, "Flatten");
    }

    [TestMethod]
    public void WhatTheOlderSchemaAllowsStillGoesDown()
    {
        var model = OneNode(13, Node("Flatten", ["x"], ["y"], Int("axis", 2)), [("x", [2, 3, 4])]);
        AssertSameOutputs(model, 9);
    }
}
