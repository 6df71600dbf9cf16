using Onnx;
using static Compression.Onnx.Tests.Conversion.ConversionHarness;
using static Compression.Onnx.Tests.Pipeline.TinyModels;

namespace Compression.Onnx.Tests.Conversion;

/// <summary>Adapters for schema changes that changed meaning (Softmax's axis, Resize's coordinates, Upsample and Scatter's replacements, legacy broadcasting).</summary>
[TestClass]
public sealed class SemanticAdapterTests
{
    [TestMethod]
    [DataRow("Softmax", 1)]
    [DataRow("Softmax", 2)]
    [DataRow("LogSoftmax", 0)]
    [DataRow("Hardmax", 1)]
    public void SoftmaxKeepsItsFlatteningMeaning(string op, int axis)
    {
        var model = OneNode(12, Node(op, ["x"], ["y"], Int("axis", axis)), [("x", [2, 3, 4])]);
        ModelProto converted = AssertSameOutputs(model, 13);
        bool lastAxis = axis == 2;
        Assert.AreEqual(lastAxis ? 1 : 4, converted.Graph.Node.Count, "an inner axis is written out as Shape, Flatten, op, Reshape");
    }

    [TestMethod]
    public void SoftmaxOverTheLastAxisGoesDown()
    {
        var model = OneNode(13, Node("Softmax", ["x"], ["y"]), [("x", [2, 3, 4])]);
        AssertSameOutputs(model, 11);
    }

    [TestMethod]
    public void SoftmaxOverAnInnerAxisCannotGoDown()
    {
        var model = OneNode(13, Node("Softmax", ["x"], ["y"], Int("axis", 1)), [("x", [2, 3, 4])]);
        Assert.AreEqual(DiagnosticCodes.OpCannotBeConverted, Assert.ThrowsExactly<CompressionException>(() => Convert(model, 12)).Code);
    }

    [TestMethod]
    [DataRow("nearest", 9)]
    [DataRow("nearest", 10)]
    [DataRow("nearest", 13)]
    [DataRow("linear", 11)]
    [DataRow("linear", 19)]
    public void UpsampleBecomesResizeWithTheSameCoordinates(string mode, int target)
    {
        var model = OneNode(8, Node("Upsample", ["x"], ["y"], Str("mode", mode), Floats("scales", 1, 1, 2, 3)), [("x", [1, 2, 3, 4])]);
        ModelProto converted = AssertSameOutputs(model, target);
        Assert.AreEqual(target >= 10 ? "Resize" : "Upsample", converted.Graph.Node[0].OpType);
    }

    [TestMethod]
    [DataRow(new float[] { 1, 1, 2, 2 })]
    [DataRow(new float[] { 1, 1, 0.5f, 0.5f })]
    public void Resize10NearestRoundsAsItDidInOpset10(float[] scales)
    {
        var model = OneNode(10, Node("Resize", ["x", "s"], ["y"]), [("x", [1, 1, 5, 6])], [Compression.Onnx.Tensors.TensorData.CreateFloat("s", [4], scales)]);
        ModelProto converted = AssertSameOutputs(model, 13);
        AssertSameOutputs(converted, 10);
    }

    [TestMethod]
    public void ScatterBecomesScatterElements()
    {
        var indices = Compression.Onnx.Tensors.TensorData.CreateInt64("i", [1, 2], [1, 3]);
        var updates = Compression.Onnx.Tensors.TensorData.CreateFloat("u", [1, 2], [10f, 20f]);
        var model = OneNode(9, Node("Scatter", ["x", "i", "u"], ["y"], Int("axis", 1)), [("x", [1, 5])], [indices, updates]);
        ModelProto converted = AssertSameOutputs(model, 11);
        Assert.AreEqual("ScatterElements", converted.Graph.Node[0].OpType);
        Assert.AreEqual("Scatter", Convert(converted, 10).Converted.Graph.Node[0].OpType);
    }

    [TestMethod]
    public void LegacyBroadcastAtAnAxisReshapesTheConstant()
    {
        // Opset-6 arithmetic has no ONNX Runtime kernels, so compare with the meaning written out: B [3] added along axis 1.
        var b = Compression.Onnx.Tensors.TensorData.CreateFloat("b", [3], [1f, 10f, 100f]);
        var model = OneNode(6, Node("Add", ["x", "b"], ["y"], Int("broadcast", 1), Int("axis", 1)), [("x", [2, 3, 2])], [b]);
        var (converted, result) = Convert(model, 7);
        Assert.AreEqual(1, result.Adapted["Add"]);
        float[] x = Seeded(12, 1, 3f);
        float[] y = Run(converted, 1)[0];
        for (int i = 0; i < 12; i++) Assert.AreEqual(x[i] + new[] { 1f, 10f, 100f }[i / 2 % 3], y[i], 1e-6f);
    }

    [TestMethod]
    public void BatchNormalizationLosesSpatialAndIsTest()
    {
        var g = new GraphProto { Name = "g" };
        g.Input.Add(Value("x", TensorProto.Types.DataType.Float, 1, 2, 2, 2));
        g.Output.Add(Value("y", TensorProto.Types.DataType.Float, 1, 2, 2, 2));
        foreach (var (name, values) in new[] { ("s", new[] { 1f, 2f }), ("b", new[] { 0f, 1f }), ("m", new[] { 0.5f, -0.5f }), ("v", new[] { 1f, 4f }) }) g.Initializer.Add(Floats(name, [2], values));
        g.Node.Add(Node("BatchNormalization", "bn", ["x", "s", "b", "m", "v"], ["y"], Int("spatial", 1), Float("epsilon", 1e-5f)));
        AssertSameOutputs(Model(g, 8, irVersion: 3), 15);
    }

    [TestMethod]
    public void BatchNormalizationPerElementCannotGoUp()
    {
        var g = new GraphProto { Name = "g" };
        g.Node.Add(Node("BatchNormalization", "bn", ["x", "s", "b", "m", "v"], ["y"], Int("spatial", 0)));
        var e = Assert.ThrowsExactly<CompressionException>(() => Convert(Model(g, 8), 9));
        StringAssert.Contains(e.Message, "BatchNormalization-7 and BatchNormalization-9");
    }

    [TestMethod]
    public void ConstantScalarFormsBecomeTensorsGoingDown()
    {
        var model = OneNode(13, Node("Add", ["x", "c"], ["y"]), [("x", [2, 2])]);
        model.Graph.Node.Insert(0, Node("Constant", "k", [], ["c"], Floats("value_floats", 1f, 2f)));
        ModelProto converted = AssertSameOutputs(model, 11);
        Assert.AreEqual("value", converted.Graph.Node[0].Attribute.Single().Name);
    }

    [TestMethod]
    public void GroupNormalizationIsRefusedAcrossItsMeaningChange()
    {
        var g = new GraphProto { Name = "g" };
        g.Node.Add(Node("GroupNormalization", "gn", ["x", "s", "b"], ["y"], Int("num_groups", 2)));
        var e = Assert.ThrowsExactly<CompressionException>(() => Convert(Model(g, 18), 21));
        Assert.AreEqual(DiagnosticCodes.OpCannotBeConverted, e.Code);
        StringAssert.Contains(e.Message, "opset 18 to opset 21");
    }

    [TestMethod]
    public void AnOperatorNewerThanTheTargetIsRefused()
    {
        var model = OneNode(20, Node("Gelu", ["x"], ["y"]), [("x", [4])]);
        var e = Assert.ThrowsExactly<CompressionException>(() => Convert(model, 19));
        Assert.AreEqual(DiagnosticCodes.OpNotInTargetOpset, e.Code);
        StringAssert.Contains(e.Message, "exists from opset 20");
    }

    [TestMethod]
    [DataRow(6)]
    [DataRow(27)]
    public void TargetsOutsideOnnxRuntimesRangeAreRefused(int target)
    {
        var model = OneNode(13, Node("Relu", ["x"], ["y"]), [("x", [4])]);
        Assert.AreEqual(DiagnosticCodes.TargetOpsetOutOfRange, Assert.ThrowsExactly<CompressionException>(() => Convert(model, target)).Code);
    }

    [TestMethod]
    public void SubgraphsAreConverted()
    {
        // If (sum(x) > 0) then Squeeze(x) else Squeeze(-x); Squeeze takes axes as an attribute at opset 12.
        var g = new GraphProto { Name = "main" };
        g.Input.Add(Value("x", TensorProto.Types.DataType.Float, 3, 1, 4));
        g.Output.Add(Value("y", TensorProto.Types.DataType.Float, 3, 4));
        g.Initializer.Add(Floats("zero", [], [0f]));
        g.Node.Add(Node("ReduceSum", "sum", ["x"], ["total"], Int("keepdims", 0)));
        g.Node.Add(Node("Greater", "positive", ["total", "zero"], ["cond"]));
        var then = Branch("then", "x");
        var otherwise = Branch("else", "negated");
        otherwise.Node.Insert(0, Node("Neg", "neg", ["x"], ["negated"]));
        g.Node.Add(Node("If", "if", ["cond"], ["y"], new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = then }, new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = otherwise }));
        ModelProto model = Model(g, 12);
        ModelProto converted = AssertSameOutputs(model, 13, seed: 1);
        AssertSameOutputs(model, 13, seed: 5);
        Assert.HasCount(2, converted.Graph.Node[2].Attribute[0].G.Node[^1].Input, "the Squeeze in the branch takes its axes as an input");

        static GraphProto Branch(string name, string input)
        {
            var b = new GraphProto { Name = name };
            b.Output.Add(Value(name + "_y", TensorProto.Types.DataType.Float, 3, 4));
            b.Node.Add(Node("Squeeze", name + "_squeeze", [input], [name + "_y"], Ints("axes", 1)));
            return b;
        }
    }
}
