using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Compression.Onnx.Tests.IO;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tests.Graph;

/// <summary>The one graph model: producers, uses across subgraph scopes, constants, names and the nesting guard.</summary>
[TestClass]
public sealed class ModelGraphTests
{
    /// <summary>
    /// x -> Mul(w) -> m; If(cond) { then: Add(m, w) -> t (reads m and w from outside); else: Constant m2, Add(x, m2) } -> y.
    /// The else branch defines its own name "k" that the main graph also defines: its read of "k" is not an outer read.
    /// </summary>
    private static ModelProto ControlFlow()
    {
        var then = new GraphProto { Name = "then" };
        then.Output.Add(ModelFactory.FloatValue("t", 2));
        then.Node.Add(ModelFactory.Node("Add", ["m", "w"], ["t"], "then_add"));

        var otherwise = new GraphProto { Name = "else" };
        otherwise.Output.Add(ModelFactory.FloatValue("e", 2));
        otherwise.Node.Add(NodeBuilder.Constant(TensorData.CreateFloat("k", [2], [5, 6])));
        otherwise.Node.Add(ModelFactory.Node("Add", ["x", "k"], ["e"], "else_add"));

        var main = new GraphProto { Name = "main" };
        main.Input.Add(ModelFactory.FloatValue("x", 2));
        main.Input.Add(new ValueInfoProto { Name = "cond" });
        main.Output.Add(ModelFactory.FloatValue("y", 2));
        main.Output.Add(ModelFactory.FloatValue("k", 2));
        main.Initializer.Add(TensorData.CreateFloat("w", [2], [1, 2]));
        main.Initializer.Add(TensorData.CreateFloat("k", [2], [3, 4]));
        main.Node.Add(ModelFactory.Node("Mul", ["x", "w"], ["m"], "mul"));
        var branch = ModelFactory.Node("If", ["cond"], ["y"], "if");
        branch.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = then });
        branch.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = otherwise });
        main.Node.Add(branch);
        return ModelFactory.Model(main);
    }

    [TestMethod]
    public void Reads_from_inside_a_subgraph_are_uses_by_the_node_that_owns_it()
    {
        using var onnx = OnnxModel.FromProto(ControlFlow());
        var model = ModelGraph.Build(onnx);
        var main = onnx.Proto.Graph;
        var branch = main.Node[1];

        var usesOfM = model.UsesOf("m");
        Assert.IsTrue(usesOfM.Any(u => u.Node!.Name == "then_add" && u.InputIndex == 0), "the branch's own read");
        Assert.IsTrue(usesOfM.Any(u => ReferenceEquals(u.Node, branch) && u.InputIndex == -1 && ReferenceEquals(u.Graph, main)), "the If reads m for its branch");
        Assert.IsTrue(model.UsesOf("x").Any(u => ReferenceEquals(u.Node, branch) && u.InputIndex == -1));
        CollectionAssert.AreEquivalent(new[] { "m", "w", "x" }, model.SubgraphReads(main).ToArray(), "k is the else branch's own");
        Assert.IsEmpty(model.SubgraphReads(branch.Attribute[0].G));
        Assert.AreEqual("mul", model.ProducerOf("m")!.Value.Node.Name);
        Assert.IsNull(model.ProducerOf("w"), "an initializer has no producing node");
        Assert.IsTrue(model.IsGraphOutput("t") && model.IsGraphOutput("y"));
        CollectionAssert.AreEqual(new[] { "mul", "if", "then_add", "k", "else_add" }, model.Nodes.Select(n => n.Node.Name).ToArray(), "each node before its subgraphs' nodes");
    }

    [TestMethod]
    public void Weights_resolve_by_scope_and_a_name_defined_twice_is_no_constant()
    {
        using var onnx = OnnxModel.FromProto(ControlFlow());
        var model = ModelGraph.Build(onnx);
        var w = model.Weights.Find("w")!;
        CollectionAssert.AreEquivalent(new[] { "mul", "then_add" }, w.Readers.Select(r => r.Node!.Name).ToArray());
        var outerK = model.Weights.FindAll("k").Single(k => k.Storage == WeightStorage.Initializer);
        var innerK = model.Weights.FindAll("k").Single(k => k.Storage == WeightStorage.ConstantNode);
        Assert.IsEmpty(outerK.Readers, "the else branch reads its own k");
        Assert.AreEqual("else_add", innerK.Readers.Single().Node!.Name);
        Assert.IsTrue(outerK.Consumers.Single().Node is null, "the outer k is a graph output");
        Assert.IsTrue(model.IsConstant("w"));
        Assert.IsFalse(model.IsConstant("k"), "defined in two graphs: left out rather than guessed");
    }

    [TestMethod]
    public void Unique_names_avoid_every_graph_and_function()
    {
        var proto = ControlFlow();
        var function = new FunctionProto { Name = "f", Domain = "custom" };
        function.Input.Add("fx");
        function.Node.Add(ModelFactory.Node("Identity", ["fx"], ["t_1"], "fn"));
        proto.Functions.Add(function);
        using var onnx = OnnxModel.FromProto(proto);
        var model = ModelGraph.Build(onnx);
        Assert.AreEqual("t_2", model.UniqueName("t"), "t is a branch output, t_1 a function value");
        Assert.AreEqual("t_3", model.UniqueName("t"));
        Assert.AreEqual("else_add_1", model.UniqueName("else_add"));
        Assert.AreEqual(17, model.Opset);
    }

    [TestMethod]
    public void A_replaced_weight_describes_its_new_value()
    {
        using var onnx = OnnxModel.FromProto(ControlFlow());
        var w = ModelGraph.Build(onnx).Weights.Find("w")!;
        w.Replace(TensorData.CreateFromRawBytes("ignored", (int)DataType.Float16, [1, 2], new byte[4]));
        Assert.AreEqual((int)DataType.Float16, w.ElementType);
        CollectionAssert.AreEqual(new long[] { 1, 2 }, w.Dims.ToArray());
        w.Replace(TensorData.CreateFloat("ignored", [3], [7, 8, 9]));
        Assert.AreEqual(3, w.ElementCount);
        Assert.AreSame(w.Tensor, onnx.Proto.Graph.Initializer.Single(t => t.Name == "w"), "the second replace found the first one's tensor");
        CollectionAssert.AreEqual(new[] { 7f, 8f, 9f }, w.ReadFloats());
    }

    [TestMethod]
    public void Nesting_deeper_than_the_guard_is_a_coded_error()
    {
        // The loader refuses such files; a pass that nests graphs in memory meets the same guard here.
        using var onnx = OnnxModel.FromProto(ModelFactory.Model(new GraphProto { Name = "main" }));
        var inner = new GraphProto { Name = "g0" };
        for (int i = 1; i <= ModelTensors.MaxGraphDepth + 1; i++)
        {
            var outer = new GraphProto { Name = "g" + i };
            var node = ModelFactory.Node("Loop", [], [], "loop" + i);
            node.Attribute.Add(new AttributeProto { Name = "body", Type = AttributeProto.Types.AttributeType.Graph, G = inner });
            outer.Node.Add(node);
            inner = outer;
        }

        onnx.Proto.Graph = inner;
        var error = Assert.ThrowsExactly<CompressionException>(() => ModelGraph.Build(onnx));
        Assert.AreEqual(DiagnosticCodes.NestingTooDeep, error.Code);
    }
}
