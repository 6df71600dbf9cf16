using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Compression.Onnx.Tests.IO;
using Google.Protobuf;
using Onnx;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tests.Graph;

[TestClass]
public sealed class WeightCatalogTests
{
    [TestMethod]
    public void PpOcrWeightsAreAllConstantNodes()
    {
        using OnnxModel model = OnnxModel.Load(TestFiles.PpOcr);
        WeightCatalog catalog = WeightCatalog.Build(model);
        int constants = model.Proto.Graph.Node.Count(n => n.OpType == "Constant");
        Assert.AreEqual(constants, catalog.Count);
        Assert.IsEmpty(model.Proto.Graph.Initializer);
        Assert.IsTrue(catalog.All(w => w.Storage == WeightStorage.ConstantNode && w.Consumers.Count > 0));
        Weight biggest = catalog.FloatWeights.MaxBy(w => w.ElementCount)!;
        Assert.AreEqual(10_000L, biggest.ElementCount, "the largest Conv weight");
        Assert.AreEqual(biggest.ElementCount, biggest.ReadFloats().Length);
        Assert.IsTrue(catalog.FloatWeights.Any(w => w.Consumers.Any(c => c.OpType == "Conv" && c.InputIndex == 1)));
    }

    [TestMethod]
    public void SileroWeightsAreFoundInsideTheIfBranches()
    {
        using OnnxModel model = OnnxModel.Load(TestFiles.Silero);
        WeightCatalog catalog = WeightCatalog.Build(model);
        GraphProto main = model.Proto.Graph;
        Weight[] nested = catalog.FloatWeights.Where(w => w.Graph != main).ToArray();
        Assert.IsGreaterThan(10, nested.Length);
        long nestedElements = nested.Sum(w => w.ElementCount);
        Assert.IsGreaterThan(400_000L, nestedElements, "the network's weights (about 2.2 MB of floats) live in the branches");
        foreach (Weight weight in nested)
        {
            Assert.IsTrue(weight.Consumers.All(c => c.Graph == weight.Graph || IsNestedIn(c.Graph, weight.Graph)));
        }
    }

    private static bool IsNestedIn(GraphProto inner, GraphProto outer) =>
        outer.Node.SelectMany(n => n.Attribute).SelectMany(a => a.G is null ? a.Graphs : a.Graphs.Append(a.G))
            .Any(g => g == inner || IsNestedIn(inner, g));

    [TestMethod]
    public void SharedInitializerIsOneWeightWithTwoConsumers()
    {
        GraphProto graph = new() { Name = "g" };
        graph.Input.Add(ModelFactory.FloatValue("x", 2));
        graph.Output.Add(ModelFactory.FloatValue("z", 2));
        graph.Initializer.Add(TensorData.CreateFloat("w", [2], [1, 2]));
        graph.Node.Add(ModelFactory.Node("Add", ["x", "w"], ["y"]));
        graph.Node.Add(ModelFactory.Node("Mul", ["y", "w"], ["z"]));
        using OnnxModel model = OnnxModel.FromProto(ModelFactory.Model(graph));
        WeightCatalog catalog = WeightCatalog.Build(model);
        Assert.HasCount(1, catalog);
        Weight w = catalog[0];
        Assert.AreEqual(WeightStorage.Initializer, w.Storage);
        CollectionAssert.AreEqual(new[] { "Add", "Mul" }, w.Consumers.Select(c => c.OpType).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 1 }, w.Consumers.Select(c => c.InputIndex).ToArray());
        Assert.IsFalse(w.IsGraphInput);
    }

    [TestMethod]
    public void OuterInitializerUsedInsideASubgraphAndShadowing()
    {
        // if cond then (x + w) else (x + w') where the else branch defines its own w.
        GraphProto thenBranch = new() { Name = "then" };
        thenBranch.Node.Add(ModelFactory.Node("Add", ["x", "w"], ["t"]));
        thenBranch.Output.Add(ModelFactory.FloatValue("t", 2));
        GraphProto elseBranch = new() { Name = "else" };
        elseBranch.Node.Add(NodeBuilder.Constant(TensorData.CreateFloat("w", [2], [5, 6])));
        elseBranch.Node.Add(ModelFactory.Node("Add", ["x", "w"], ["e"]));
        elseBranch.Output.Add(ModelFactory.FloatValue("e", 2));
        GraphProto graph = new() { Name = "g" };
        graph.Input.Add(ModelFactory.FloatValue("x", 2));
        graph.Input.Add(new ValueInfoProto { Name = "cond", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Bool, Shape = new TensorShapeProto() } } });
        graph.Output.Add(ModelFactory.FloatValue("y", 2));
        graph.Initializer.Add(TensorData.CreateFloat("w", [2], [1, 2]));
        NodeProto ifNode = ModelFactory.Node("If", ["cond"], ["y"]);
        ifNode.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeType.Graph, G = thenBranch });
        ifNode.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeType.Graph, G = elseBranch });
        graph.Node.Add(ifNode);
        using OnnxModel model = OnnxModel.FromProto(ModelFactory.Model(graph));
        WeightCatalog catalog = WeightCatalog.Build(model);

        Weight outer = catalog.Single(w => w.Graph == graph);
        Weight inner = catalog.Single(w => w.Graph == elseBranch);
        Assert.AreEqual(thenBranch, outer.Consumers.Single().Graph);
        Assert.AreEqual(elseBranch, inner.Consumers.Single().Graph);
        CollectionAssert.AreEqual(new float[] { 5, 6 }, inner.ReadFloats());
    }

    [TestMethod]
    public void EveryConstantAttributeFormIsAWeight()
    {
        GraphProto graph = new() { Name = "g" };
        graph.Node.Add(ConstantNode("f", new AttributeProto { Name = "value_float", Type = AttributeType.Float, F = 2.5f }));
        var floats = new AttributeProto { Name = "value_floats", Type = AttributeType.Floats };
        floats.Floats.Add([1f, 2f, 3f]);
        graph.Node.Add(ConstantNode("fs", floats));
        graph.Node.Add(ConstantNode("i", new AttributeProto { Name = "value_int", Type = AttributeType.Int, I = 7 }));
        var ints = new AttributeProto { Name = "value_ints", Type = AttributeType.Ints };
        ints.Ints.Add([4, 5]);
        graph.Node.Add(ConstantNode("is", ints));
        var sparse = new SparseTensorProto { Values = TensorData.CreateFloat("sp", [2], [9f, 8f]), Indices = TensorData.CreateInt64("sp_i", [2], [1, 3]) };
        sparse.Dims.Add(4);
        graph.Node.Add(ConstantNode("sp", new AttributeProto { Name = "sparse_value", Type = AttributeType.SparseTensor, SparseTensor = sparse }));
        foreach (string name in new[] { "f", "fs", "i", "is", "sp" })
        {
            graph.Output.Add(new ValueInfoProto { Name = name });
        }

        using OnnxModel model = OnnxModel.FromProto(ModelFactory.Model(graph));
        WeightCatalog catalog = WeightCatalog.Build(model);
        Assert.HasCount(5, catalog);
        Assert.HasCount(3, catalog.FloatWeights);
        CollectionAssert.AreEqual(new[] { 2.5f }, catalog.Find("f")!.ReadFloats());
        Assert.IsEmpty(catalog.Find("f")!.Dims);
        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f }, catalog.Find("fs")!.ReadFloats());
        CollectionAssert.AreEqual(new long[] { 4, 5 }, TensorData.ReadInt64s(catalog.Find("is")!.ToTensor()));
        CollectionAssert.AreEqual(new[] { 0f, 9f, 0f, 8f }, catalog.Find("sp")!.ReadFloats());
        Assert.IsTrue(catalog.All(w => w.Consumers.Single().Node is null), "graph outputs are consumers without a node");
    }

    private static NodeProto ConstantNode(string output, AttributeProto attribute)
    {
        var node = new NodeProto { OpType = "Constant", Name = output };
        node.Output.Add(output);
        node.Attribute.Add(attribute);
        return node;
    }

    [TestMethod]
    public void SparseInitializerIsAWeightAndReplacingMakesItDense()
    {
        GraphProto graph = new() { Name = "g" };
        graph.Input.Add(ModelFactory.FloatValue("x", 2, 2));
        graph.Output.Add(ModelFactory.FloatValue("y", 2, 2));
        var sparse = new SparseTensorProto { Values = TensorData.CreateFloat("w", [1], [3f]), Indices = TensorData.CreateInt64("w_i", [1, 2], [1, 0]) };
        sparse.Dims.Add([2, 2]);
        graph.SparseInitializer.Add(sparse);
        graph.Node.Add(ModelFactory.Node("MatMul", ["x", "w"], ["y"]));
        using OnnxModel model = OnnxModel.FromProto(ModelFactory.Model(graph));
        Weight w = WeightCatalog.Build(model).Single();
        Assert.AreEqual(WeightStorage.SparseInitializer, w.Storage);
        CollectionAssert.AreEqual(new[] { 0f, 0f, 3f, 0f }, w.ReadFloats());
        w.WriteFloats([1, 0, 3, 0]);
        Assert.IsEmpty(graph.SparseInitializer);
        Weight dense = WeightCatalog.Build(model).Single();
        Assert.AreEqual(WeightStorage.Initializer, dense.Storage);
        CollectionAssert.AreEqual(new[] { 1f, 0f, 3f, 0f }, dense.ReadFloats());
    }

    [TestMethod]
    [DataRow("silero_vad_v5.onnx")]
    [DataRow("ch_ppocr_mobile_v2.0_cls_infer.onnx")]
    public void EveryFloatWeightStoredAsFloat16WithACastRunsInOnnxRuntime(string fileName)
    {
        // A miniature float16 pass over the whole model, subgraphs included, through ReplaceWith.
        using var folder = new TempFolder();
        using OnnxModel model = OnnxModel.Load(TestFiles.Model(fileName));
        UniqueNames names = UniqueNames.ForModel(model.Proto);
        WeightCatalog catalog = WeightCatalog.Build(model);
        long originalFloats = 0;
        foreach (Weight weight in catalog.FloatWeights.Where(w => w.ElementType == (int)DataType.Float))
        {
            float[] values = weight.ReadFloats();
            originalFloats += values.Length;
            TensorProto half = TensorData.CreateFloat16(names.Next(weight.Name + "_fp16"), [.. weight.Dims], values);
            NodeProto cast = ModelFactory.Node("Cast", [half.Name], [weight.Name], names.Next(weight.Name + "_cast"));
            cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeType.Int, I = (int)DataType.Float });
            weight.ReplaceWith([half], [cast]);
        }

        string output = folder.File(fileName);
        model.Save(output);
        Assert.IsLessThan(new FileInfo(TestFiles.Model(fileName)).Length - (originalFloats * 3 / 2), new FileInfo(output).Length + 1);
        WeightCatalog after = WeightCatalog.Build(OnnxModel.Load(output));
        Assert.IsFalse(after.Any(w => w.ElementType == (int)DataType.Float && w.ElementCount > 16 && w.Consumers.Any(c => c.OpType != "Cast")));

        float[][] expected = fileName.StartsWith("silero", StringComparison.Ordinal) ? OnnxRunner.RunSilero(TestFiles.Model(fileName)) : OnnxRunner.RunPpOcr(TestFiles.Model(fileName));
        float[][] actual = fileName.StartsWith("silero", StringComparison.Ordinal) ? OnnxRunner.RunSilero(output) : OnnxRunner.RunPpOcr(output);
        // Every weight rounded to float16 (11 significant bits, relative error <= 2^-11 = 4.9e-4 each): the
        // outputs keep that relative size unless they cancel; bound 0.01 (20x), cosine >= 0.99995 (1 - 0.01^2 / 2).
        for (int o = 0; o < expected.Length; o++)
        {
            Validation.Closeness.Assert(expected[o], actual[o], maxRelativeError: 0.01, minCosine: 0.99995, $"{fileName} output {o}");
        }
    }

    [TestMethod]
    public void ReplaceKeepsNameAndStorage()
    {
        using OnnxModel model = OnnxModel.FromProto(ModelFactory.AddMul(4));
        WeightCatalog catalog = WeightCatalog.Build(model);
        catalog.Find("a")!.Replace(TensorData.CreateFloat16("ignored", [4], [1, 2, 3, 4]));
        TensorProto replaced = model.Proto.Graph.Initializer[0];
        Assert.AreEqual("a", replaced.Name);
        Assert.AreEqual((int)DataType.Float16, replaced.DataType);
        Assert.HasCount(2, model.Proto.Graph.Initializer);
    }

    [TestMethod]
    public void ReplaceWithRemovesTheInputOfAnOverridableInitializer()
    {
        ModelProto proto = ModelFactory.AddMul(4);
        proto.Graph.Input.Add(ModelFactory.FloatValue("a", 4));
        using OnnxModel model = OnnxModel.FromProto(proto);
        Weight a = WeightCatalog.Build(model).Find("a")!;
        Assert.IsTrue(a.IsGraphInput);
        TensorProto half = TensorData.CreateFloat16("a_fp16", [4], a.ReadFloats());
        NodeProto cast = ModelFactory.Node("Cast", ["a_fp16"], ["a"]);
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeType.Int, I = 1 });
        a.ReplaceWith([half], [cast]);
        CollectionAssert.AreEqual(new[] { "x" }, proto.Graph.Input.Select(i => i.Name).ToArray());
        Assert.AreEqual(cast, proto.Graph.Node[0], "inserted before its first consumer (Add)");
        Assert.ThrowsExactly<CompressionException>(() => a.Replace(TensorData.CreateFloat("a", [4], [1, 2, 3, 4])));
    }
}
