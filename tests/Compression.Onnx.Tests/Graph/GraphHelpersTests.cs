using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tests.IO;
using Onnx;

namespace Compression.Onnx.Tests.Graph;

[TestClass]
public sealed class GraphHelpersTests
{
    [TestMethod]
    public void UniqueNamesAvoidNamesInSubgraphs()
    {
        using OnnxModel model = OnnxModel.Load(TestFiles.Silero);
        UniqueNames names = UniqueNames.ForModel(model.Proto);
        GraphProto branch = model.Proto.Graph.Node.SelectMany(n => n.Attribute).First(a => a.G is not null).G;
        string nestedName = branch.Node.First(n => n.Output.Count > 0).Output[0];
        Assert.IsTrue(names.Contains(nestedName));
        string fresh = names.Next(nestedName);
        Assert.AreNotEqual(nestedName, fresh);
        Assert.AreEqual(nestedName + "_1", fresh);
        Assert.AreEqual(nestedName + "_2", names.Next(nestedName));
        Assert.AreEqual("brand_new", names.Next("brand_new"));
        Assert.AreEqual("brand_new_1", names.Next("brand_new"));
    }

    [TestMethod]
    public void OpsetLookupAndImport()
    {
        ModelProto model = ModelFactory.AddMul(2);
        Assert.AreEqual(17L, Opsets.GetVersion(model, ""));
        Assert.AreEqual(17L, Opsets.GetVersion(model, "ai.onnx"));
        Assert.IsNull(Opsets.GetVersion(model, Opsets.MicrosoftDomain));
        Assert.AreEqual(1L, Opsets.EnsureImport(model, Opsets.MicrosoftDomain, 1));
        Assert.AreEqual(1L, Opsets.GetVersion(model, Opsets.MicrosoftDomain));
        Assert.AreEqual(17L, Opsets.EnsureImport(model, "", 21), "an existing import is never moved");
        Assert.HasCount(2, model.OpsetImport);
    }

    [TestMethod]
    public void InsertNodesGoesBeforeTheFirstConsumerAfterTheProducers()
    {
        ModelProto model = ModelFactory.AddMul(2);
        GraphProto graph = model.Graph;
        // Feed Mul a scaled copy of b: Scale(b) -> b2; Mul now reads b2.
        graph.Node[1].Input[1] = "b2";
        NodeProto scale = ModelFactory.Node("Identity", ["b"], ["b2"]);
        Assert.AreEqual(1, GraphEditing.InsertNodes(graph, [scale]));
        CollectionAssert.AreEqual(new[] { "Add", "Identity", "Mul" }, graph.Node.Select(n => n.OpType).ToArray());
    }

    [TestMethod]
    public void InsertNodesThatWouldFormACycleIsCoded()
    {
        ModelProto model = ModelFactory.AddMul(2);
        // A node that reads Mul's output y but produces a, which Add (before Mul) needs.
        NodeProto bad = ModelFactory.Node("Identity", ["y"], ["a2"]);
        model.Graph.Node[0].Input[1] = "a2";
        var error = Assert.ThrowsExactly<CompressionException>(() => GraphEditing.InsertNodes(model.Graph, [bad]));
        Assert.AreEqual(DiagnosticCodes.GraphNotTopological, error.Code);
    }

    [TestMethod]
    public void SignatureOfSileroMatchesTheManifestContract()
    {
        ModelSignature signature = ModelSignature.Read(TestFiles.Silero);
        CollectionAssert.AreEqual(new[] { "input", "state", "sr" }, signature.Inputs.Select(i => i.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "float", "float", "int64" }, signature.Inputs.Select(i => i.ElementType).ToArray());
        Assert.IsEmpty(signature.Inputs[2].Dims!);
        Assert.AreEqual(2L, signature.Inputs[1].Dims![0].Value);
        CollectionAssert.AreEqual(new[] { "output", "stateN" }, signature.Outputs.Select(o => o.Name).ToArray());
    }

    [TestMethod]
    public void SignatureHasSymbolicAndUnknownDimsAndSkipsInitializers()
    {
        ModelSignature ocr = ModelSignature.Read(TestFiles.PpOcr);
        ValueSignature x = ocr.Inputs.Single();
        Assert.AreEqual("x", x.Name);
        Assert.HasCount(4, x.Dims!);
        Assert.IsNotNull(x.Dims![0].Param);
        Assert.AreEqual(3L, x.Dims[1].Value);

        ModelProto proto = ModelFactory.AddMul(3);
        proto.Graph.Input.Add(ModelFactory.FloatValue("a", 3));
        proto.Graph.Input[0].Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension();
        proto.Graph.Output[0].Type.TensorType.Shape = null;
        using OnnxModel model = OnnxModel.FromProto(proto);
        ModelSignature signature = ModelSignature.Read(model);
        Assert.AreEqual("x", signature.Inputs.Single().Name, "initializer 'a' is not an input");
        Assert.AreEqual(DimSignature.Unknown, signature.Inputs[0].Dims![0]);
        Assert.IsNull(signature.Outputs[0].Dims, "no shape: rank unknown");
    }
}
