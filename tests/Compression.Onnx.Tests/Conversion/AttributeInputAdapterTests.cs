using Onnx;
using static Compression.Onnx.Tests.Conversion.ConversionHarness;
using static Compression.Onnx.Tests.Pipeline.TinyModels;

namespace Compression.Onnx.Tests.Conversion;

/// <summary>Adapters that move a parameter between an attribute and an input: ONNX Runtime gives identical outputs before and after.</summary>
[TestClass]
public sealed class AttributeInputAdapterTests
{
    [TestMethod]
    [DataRow(10)]
    [DataRow(13)]
    [DataRow(26)]
    public void SliceAttributesBecomeInputs(int target)
    {
        var model = OneNode(9, Node("Slice", ["x"], ["y"], Ints("starts", 1, 0), Ints("ends", 3, 5), Ints("axes", 0, 1)), [("x", [4, 6])]);
        ModelProto converted = AssertSameOutputs(model, target);
        Assert.HasCount(4, converted.Graph.Node[0].Input);
        Assert.IsEmpty(converted.Graph.Node[0].Attribute);
    }

    [TestMethod]
    public void SliceInputsBecomeAttributesGoingDown()
    {
        var model = OneNode(13, Node("Slice", ["x", "s", "e"], ["y"]), [("x", [4, 6])], [Int64s("s", 1, 2), Int64s("e", 4, -1)]);
        ModelProto converted = AssertSameOutputs(model, 9);
        Assert.HasCount(1, converted.Graph.Node[0].Input);
    }

    [TestMethod]
    public void SliceWithStepsCannotGoBelowOpset10()
    {
        var model = OneNode(13, Node("Slice", ["x", "s", "e", "a", "st"], ["y"]), [("x", [4, 6])], [Int64s("s", 0), Int64s("e", 6), Int64s("a", 1), Int64s("st", 2)]);
        var e = Assert.ThrowsExactly<CompressionException>(() => Convert(model, 9));
        Assert.AreEqual(DiagnosticCodes.OpCannotBeConverted, e.Code);
        StringAssert.Contains(e.Message, "Slice");
        StringAssert.Contains(e.Message, "opset 13 to opset 9");
    }

    [TestMethod]
    [DataRow(10)]
    [DataRow(11)]
    [DataRow(24)]
    public void TopKAttributeBecomesInput(int target)
    {
        var model = OneNode(9, Node("TopK", ["x"], ["v", "i"], Int("k", 2), Int("axis", 1)), [("x", [3, 5])]);
        model.Graph.Output[1].Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Int64;
        AssertSameOutputs(model, target);
    }

    [TestMethod]
    [DataRow(11)]
    [DataRow(13)]
    public void ClipBoundsBecomeInputs(int target)
    {
        var model = OneNode(10, Node("Clip", ["x"], ["y"], Float("min", -0.5f), Float("max", 0.7f)), [("x", [2, 8])]);
        ModelProto converted = AssertSameOutputs(model, target);
        Assert.HasCount(3, converted.Graph.Node[0].Input);
    }

    [TestMethod]
    public void ClipWithOnlyAMaximumKeepsTheMinimumAbsent()
    {
        var model = OneNode(10, Node("Clip", ["x"], ["y"], Float("max", 0.7f)), [("x", [2, 8])]);
        ModelProto converted = AssertSameOutputs(model, 13);
        Assert.AreEqual(string.Empty, converted.Graph.Node[0].Input[1]);
    }

    [TestMethod]
    public void ClipInputsBecomeAttributesGoingDown()
    {
        var model = OneNode(13, Node("Clip", ["x", "lo", "hi"], ["y"]), [("x", [2, 8])],
            [Compression.Onnx.Tensors.TensorData.CreateFloat("lo", [], [-1f]), Compression.Onnx.Tensors.TensorData.CreateFloat("hi", [], [0.25f])]);
        AssertSameOutputs(model, 10);
    }

    [TestMethod]
    [DataRow("constant", 11)]
    [DataRow("reflect", 11)]
    [DataRow("edge", 19)]
    public void PadAttributesBecomeInputs(string mode, int target)
    {
        var model = OneNode(10, Node("Pad", ["x"], ["y"], Ints("pads", 0, 1, 0, 2), Float("value", 1.5f), Str("mode", mode)), [("x", [3, 4])]);
        AssertSameOutputs(model, target);
    }

    [TestMethod]
    public void PadInputsBecomeAttributesGoingDown()
    {
        var model = OneNode(13, Node("Pad", ["x", "p", "v"], ["y"]), [("x", [3, 4])], [Int64s("p", 1, 0, 1, 2), Compression.Onnx.Tensors.TensorData.CreateFloat("v", [], [-2f])]);
        AssertSameOutputs(model, 9);
    }

    [TestMethod]
    [DataRow(13)]
    [DataRow(18)]
    public void SplitSizesBecomeAnInput(int target)
    {
        var model = OneNode(12, Node("Split", ["x"], ["a", "b"], Int("axis", 1), Ints("split", 2, 4)), [("x", [3, 6])]);
        AssertSameOutputs(model, target);
    }

    [TestMethod]
    public void EqualSplitGetsNumOutputsAtOpset18()
    {
        var model = OneNode(12, Node("Split", ["x"], ["a", "b", "c"], Int("axis", 1)), [("x", [2, 6])]);
        ModelProto converted = AssertSameOutputs(model, 18);
        Assert.AreEqual(3, converted.Graph.Node[0].Attribute.Single(a => a.Name == "num_outputs").I);
        AssertSameOutputs(converted, 12);
    }

    [TestMethod]
    [DataRow("Squeeze", new long[] { 3, 1, 4 }, new long[] { 1 })]
    [DataRow("Unsqueeze", new long[] { 3, 4 }, new long[] { 0, 2 })]
    public void SqueezeAxesBecomeAnInputAndBack(string op, long[] shape, long[] axes)
    {
        var model = OneNode(12, Node(op, ["x"], ["y"], Ints("axes", axes)), [("x", shape)]);
        ModelProto converted = AssertSameOutputs(model, 13);
        Assert.HasCount(2, converted.Graph.Node[0].Input);
        AssertSameOutputs(converted, 11);
    }

    [TestMethod]
    public void AxesComputedAtRunTimeCannotBecomeAnAttribute()
    {
        var g = new GraphProto { Name = "g" };
        g.Input.Add(Value("x", TensorProto.Types.DataType.Float, 3, 1, 4));
        g.Input.Add(Value("axes", TensorProto.Types.DataType.Int64, 1));
        g.Output.Add(Value("y", TensorProto.Types.DataType.Float, 3, 4));
        g.Node.Add(Node("Squeeze", ["x", "axes"], ["y"]));
        var e = Assert.ThrowsExactly<CompressionException>(() => Convert(Model(g, 13), 12));
        Assert.AreEqual(DiagnosticCodes.OpCannotBeConverted, e.Code);
        StringAssert.Contains(e.Message, "Squeeze node 'squeeze' cannot be converted from opset 13 to opset 12");
        StringAssert.Contains(e.Message, "between schema Squeeze-13 and Squeeze-11");
    }

    [TestMethod]
    [DataRow("ReduceSum", 12, 13)]
    [DataRow("ReduceMean", 12, 18)]
    [DataRow("ReduceMax", 12, 20)]
    [DataRow("ReduceL2", 17, 18)]
    [DataRow("ReduceLogSumExp", 11, 26)]
    public void ReduceAxesBecomeAnInputAndBack(string op, int source, int target)
    {
        var model = OneNode(source, Node(op, ["x"], ["y"], Ints("axes", 1), Int("keepdims", 0)), [("x", [3, 4, 2])]);
        ModelProto converted = AssertSameOutputs(model, target);
        AssertSameOutputs(converted, source);
    }

    [TestMethod]
    public void DropoutRatioBecomesAnInput()
    {
        var model = OneNode(11, Node("Dropout", ["x"], ["y"], Float("ratio", 0.3f)), [("x", [4, 4])]);
        ModelProto converted = AssertSameOutputs(model, 13);
        Assert.HasCount(2, converted.Graph.Node[0].Input);
    }
}
