using Compression.Onnx.FourBit;
using Compression.Onnx.Tensors;
using Compression.Onnx.Tests.IO;
using Onnx;

namespace Compression.Onnx.Tests.FourBit;

/// <summary>The other weight forms (embeddings, blocked int4, 8-bit fallback), subgraphs, exclusions and coded errors.</summary>
[TestClass]
public sealed class FourBitPassTests
{
    [TestMethod]
    [DataRow(FourBitType.Int4, 32)]
    [DataRow(FourBitType.UInt4, 16)]
    [DataRow(FourBitType.UInt4, 64)]
    public void EmbeddingGatherBecomesGatherBlockQuantized(FourBitType type, int blockSize)
    {
        using var temp = new TempFolder();
        int rows = 50, width = 72;
        var original = EmbeddingModel(FourBitModels.Gaussian(rows * width, 2), rows, width);
        var model = MatMulNBitsOrtTests.Quantize(original.Clone(), new FourBitOptions { Quantize = type, BlockSize = blockSize }, out var report);

        Assert.AreEqual(1, report.GatherBlockQuantizedWeights);
        NodeProto node = model.Graph.Node.Single();
        Assert.AreEqual("GatherBlockQuantized", node.OpType);
        Assert.AreEqual(type == FourBitType.UInt4 ? 4 : 3, node.Input.Count);
        CollectionAssert.AreEqual(new long[] { rows, width / 2 }, QuantizedReference.Initializer(model, node.Input[0]).Dims.ToArray());

        var reference = original.Clone();
        reference.Graph.Initializer[0] = TensorData.CreateFloat("E", [rows, width], QuantizedReference.GatherBlockQuantized(model, node));
        long[] ids = [0, 7, 49, 7, 23];
        var input = OnnxRunner.Int64("ids", ids, ids.Length);
        float[] expected = MatMulNBitsOrtTests.RunModel(reference, temp.File("ref.onnx"), input);
        float[] actual = MatMulNBitsOrtTests.RunModel(model, temp.File("q.onnx"), input);
        CollectionAssert.AreEqual(expected, actual);
        OnnxChecker.AssertValid(temp.File("q.onnx"));
        var error = Kernels.ErrorMetrics.Compare(OnnxRunner.Run(Save(original, temp.File("o.onnx")), input)[0], actual);
        Assert.IsGreaterThan(0.99, error.CosineSimilarity);
    }

    [TestMethod]
    [DataRow(FourBitType.Int4)]
    [DataRow(FourBitType.UInt4)]
    public void ConvWeightInOpset21IsBlockedInt4DequantizeLinear(FourBitType type)
    {
        using var temp = new TempFolder();
        var original = ConvModel(opset: 21, out float[] image);
        var model = MatMulNBitsOrtTests.Quantize(original.Clone(), new FourBitOptions { Quantize = type }, out var report);

        Assert.AreEqual(1, report.BlockedFourBitWeights);
        Assert.AreEqual(1, report.FloatWeights, "the conv bias stays in float");
        NodeProto dequantize = model.Graph.Node.Single(n => n.OpType == "DequantizeLinear");
        TensorProto q = QuantizedReference.Initializer(model, dequantize.Input[0]);
        Assert.AreEqual((int)(type == FourBitType.Int4 ? TensorProto.Types.DataType.Int4 : TensorProto.Types.DataType.Uint4), q.DataType);
        Assert.AreEqual(32, QuantizedReference.Attribute(dequantize, "block_size", 0));
        Assert.AreEqual(1, QuantizedReference.Attribute(dequantize, "axis", -1), "input channels (64) give fewer scales than 16 output channels");

        var reference = original.Clone();
        reference.Graph.Initializer[0] = TensorData.CreateFloat("W", [16, 64, 3, 3], QuantizedReference.DequantizeLinear(model, dequantize));
        var input = OnnxRunner.Float("x", image, 1, 64, 8, 8);
        float[] expected = MatMulNBitsOrtTests.RunModel(reference, temp.File("ref.onnx"), input);
        float[] actual = MatMulNBitsOrtTests.RunModel(model, temp.File("q.onnx"), input);
        FourBitModels.AssertClose(expected, actual, 1e-5f, "blocked DequantizeLinear");
    }

    [TestMethod]
    [DataRow(13L, "")]
    [DataRow(9L, "com.microsoft")]
    public void ConvWeightBeforeOpset21FallsBackTo8Bit(long opset, string domain)
    {
        using var temp = new TempFolder();
        var original = ConvModel(opset, out float[] image);
        var model = MatMulNBitsOrtTests.Quantize(original.Clone(), new FourBitOptions(), out var report);

        Assert.AreEqual(1, report.EightBitWeights);
        Assert.AreEqual(0, report.BlockedFourBitWeights);
        StringAssert.Contains(string.Join("\n", report.Notes), "needs opset 21");
        NodeProto dequantize = model.Graph.Node.Single(n => n.OpType == "DequantizeLinear");
        Assert.AreEqual(domain, dequantize.Domain);
        Assert.AreEqual((int)TensorProto.Types.DataType.Int8, QuantizedReference.Initializer(model, dequantize.Input[0]).DataType);

        var reference = original.Clone();
        reference.Graph.Initializer[0] = TensorData.CreateFloat("W", [16, 64, 3, 3], QuantizedReference.DequantizeLinear(model, dequantize));
        var input = OnnxRunner.Float("x", image, 1, 64, 8, 8);
        FourBitModels.AssertClose(MatMulNBitsOrtTests.RunModel(reference, temp.File("ref.onnx"), input), MatMulNBitsOrtTests.RunModel(model, temp.File("q.onnx"), input), 1e-5f, "8-bit");
        OnnxChecker.AssertValid(temp.File("q.onnx"));
    }

    [TestMethod]
    public void WeightsInsideIfBranchesAreQuantized()
    {
        using var temp = new TempFolder();
        int k = 64, n = 32;
        float[] b = FourBitModels.Gaussian(k * n, 12);
        var branch = new GraphProto { Name = "then" };
        branch.Node.Add(GraphEditingConstant("B", [k, n], b));
        branch.Node.Add(ModelFactory.Node("MatMul", ["x", "B"], ["t"], "inner_mm"));
        branch.Output.Add(ModelFactory.FloatValue("t", 1, n));
        var other = new GraphProto { Name = "else" };
        other.Node.Add(GraphEditingConstant("Z", [1, n], new float[n]));
        other.Output.Add(ModelFactory.FloatValue("Z", 1, n));
        var graph = new GraphProto { Name = "if" };
        graph.Input.Add(ModelFactory.FloatValue("x", 1, k));
        graph.Input.Add(new ValueInfoProto { Name = "c", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Bool, Shape = new TensorShapeProto() } } });
        graph.Output.Add(ModelFactory.FloatValue("y", 1, n));
        var node = ModelFactory.Node("If", ["c"], ["y"], "branch");
        node.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = branch });
        node.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = other });
        graph.Node.Add(node);
        var original = ModelFactory.Model(graph, 17);

        var model = MatMulNBitsOrtTests.Quantize(original.Clone(), new FourBitOptions { AccuracyLevel = 1 }, out var report);

        Assert.AreEqual(1, report.MatMulNBitsWeights);
        GraphProto then = model.Graph.Node[0].Attribute[0].G;
        Assert.IsTrue(then.Node.Any(x => x.OpType == "MatMulNBits"));
        Assert.IsTrue(then.Node.Take(2).All(x => x.OpType == "Constant"), "the packed weight and scales stay Constant nodes, before their reader");
        float[] x = FourBitModels.Gaussian(k, 1);
        var inputs = new[] { OnnxRunner.Float("x", x, 1, k), Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("c", new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<bool>(new[] { true }, [])) };
        float[] actual = MatMulNBitsOrtTests.RunModel(model, temp.File("q.onnx"), inputs);
        float[] expected = MatMulNBitsOrtTests.RunModel(original, temp.File("o.onnx"), inputs);
        Assert.IsGreaterThan(0.99, Kernels.ErrorMetrics.Compare(expected, actual).CosineSimilarity);
    }

    [TestMethod]
    public void ExcludedAndSmallWeightsStayInFloat()
    {
        var model = FourBitModels.Mlp([64, 64, 8], (layer, k, n) => FourBitModels.Gaussian(k * n, layer));
        var q = MatMulNBitsOrtTests.Quantize(model, new FourBitOptions { ExcludeNodes = ["fc0"] }, out var report);
        Assert.AreEqual(1, report.MatMulNBitsWeights, "fc1 (64x8 = 512 elements)");
        Assert.AreEqual(1, report.FloatWeights);
        StringAssert.Contains(report.Notes.Single(), "excluded");
        Assert.AreEqual("MatMul", q.Graph.Node[0].OpType);
        StringAssert.Contains(report.Summary(new FourBitOptions()), "1 weights MatMulNBits (1 MatMul, 0 Gemm)");
    }

    [TestMethod]
    [DataRow(24, 4, "CMP4400")]
    [DataRow(8, 4, "CMP4400")]
    [DataRow(32, 5, "CMP4401")]
    [DataRow(32, -1, "CMP4401")]
    public void BadOptionsAreCodedErrors(int blockSize, int accuracyLevel, string code)
    {
        using var model = OnnxModelFor(FourBitModels.MatMul(new float[64 * 8], 64, 8));
        var error = Assert.ThrowsExactly<CompressionException>(() => new FourBitQuantizer(new FourBitOptions { BlockSize = blockSize, AccuracyLevel = accuracyLevel }).Quantize(model));
        Assert.AreEqual(code, error.Code);
        Assert.IsFalse(string.IsNullOrEmpty(error.Help));
    }

    [TestMethod]
    public void AModelWithNothingToQuantizeIsCMP4402()
    {
        using var model = OnnxModelFor(ModelFactory.AddMul(16));
        var error = Assert.ThrowsExactly<CompressionException>(() => new FourBitQuantizer(new FourBitOptions()).Quantize(model));
        Assert.AreEqual(DiagnosticCodes.NothingToQuantizeInFourBits, error.Code);
        StringAssert.Contains(error.Message, "fewer than 256 elements");
    }

    [TestMethod]
    public void NonFiniteWeightsStayInFloat()
    {
        float[] b = FourBitModels.Gaussian(64 * 8, 1);
        b[3] = float.PositiveInfinity;
        var model = FourBitModels.MatMul(b, 64, 8);
        model.Graph.Node.Add(ModelFactory.Node("MatMul", ["x", "B2"], ["y2"], "mm2"));
        model.Graph.Initializer.Add(TensorData.CreateFloat("B2", [64, 8], FourBitModels.Gaussian(64 * 8, 2)));
        MatMulNBitsOrtTests.Quantize(model, new FourBitOptions(), out var report);
        Assert.AreEqual(1, report.FloatWeights);
        StringAssert.Contains(report.Notes.Single(), "NaN or infinity");
    }

    internal static ModelProto EmbeddingModel(float[] table, int rows, int width)
    {
        var graph = new GraphProto { Name = "embedding" };
        graph.Input.Add(new ValueInfoProto { Name = "ids", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Int64, Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = "n" } } } } } });
        graph.Output.Add(ModelFactory.FloatValue("y", 0, width));
        graph.Initializer.Add(TensorData.CreateFloat("E", [rows, width], table));
        graph.Node.Add(ModelFactory.Node("Gather", ["E", "ids"], ["y"], "embed"));
        return ModelFactory.Model(graph, 17);
    }

    private static ModelProto ConvModel(long opset, out float[] image)
    {
        var graph = new GraphProto { Name = "conv" };
        graph.Input.Add(ModelFactory.FloatValue("x", 1, 64, 8, 8));
        graph.Output.Add(ModelFactory.FloatValue("y", 1, 16, 6, 6));
        graph.Initializer.Add(TensorData.CreateFloat("W", [16, 64, 3, 3], FourBitModels.Gaussian(16 * 64 * 9, 21, 0.1f)));
        graph.Initializer.Add(TensorData.CreateFloat("bias", [16], FourBitModels.Gaussian(16, 22)));
        graph.Node.Add(ModelFactory.Node("Conv", ["x", "W", "bias"], ["y"], "conv"));
        var model = ModelFactory.Model(graph, opset);
        model.IrVersion = opset >= 21 ? 10 : opset >= 13 ? 7 : 4;
        image = FourBitModels.Gaussian(64 * 64, 23);
        return model;
    }

    private static NodeProto GraphEditingConstant(string name, long[] dims, float[] values) =>
        Compression.Onnx.Graph.GraphEditing.CreateConstant(TensorData.CreateFloat(name, dims, values));

    private static Compression.Onnx.IO.OnnxModel OnnxModelFor(ModelProto model) => Compression.Onnx.IO.OnnxModel.FromProto(model);

    private static string Save(ModelProto model, string path)
    {
        using var wrapper = Compression.Onnx.IO.OnnxModel.FromProto(model);
        wrapper.Save(path);
        return path;
    }
}
