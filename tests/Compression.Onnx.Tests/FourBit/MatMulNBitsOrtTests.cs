using Compression.Onnx.FourBit;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Compression.Onnx.Tests.IO;
using Onnx;

namespace Compression.Onnx.Tests.FourBit;

/// <summary>ONNX Runtime runs the MatMulNBits models the pass writes, equal to float models holding the dequantized weights.</summary>
[TestClass]
public sealed class MatMulNBitsOrtTests
{
    [TestMethod]
    [DataRow(37, 5, 16, QuantizationType.Int4)]
    [DataRow(16, 1, 16, QuantizationType.UInt4)]
    [DataRow(10, 3, 32, QuantizationType.Int4)]
    [DataRow(100, 7, 64, QuantizationType.UInt4)]
    [DataRow(300, 9, 128, QuantizationType.Int4)]
    [DataRow(513, 4, 256, QuantizationType.UInt4)]
    [DataRow(64, 1, 32, QuantizationType.UInt4)]
    public void MatMulRunsEqualToTheDequantizedFloatReference(int k, int n, int blockSize, QuantizationType type)
    {
        using var temp = new TempFolder();
        float[] b = FourBitModels.Gaussian(k * n, k + n);
        var options = new FourBitOptions { Quantize = type, BlockSize = blockSize, AccuracyLevel = 1, MinimumWeightElements = 0 };
        var model = Quantize(FourBitModels.MatMul(b, k, n), options, out var report);

        Assert.AreEqual(1, report.MatMulNBitsWeights);
        Assert.AreEqual(1, report.MatMulNodes);
        NodeProto node = model.Graph.Node.Single();
        Assert.AreEqual("MatMulNBits", node.OpType);
        Assert.AreEqual("com.microsoft", node.Domain);
        Assert.AreEqual("mm", node.Name, "node names are kept");
        Assert.AreEqual(k, QuantizedReference.Attribute(node, "K", 0));
        Assert.AreEqual(n, QuantizedReference.Attribute(node, "N", 0));
        Assert.AreEqual(4, QuantizedReference.Attribute(node, "bits", 0));
        Assert.AreEqual(blockSize, QuantizedReference.Attribute(node, "block_size", 0));
        Assert.AreEqual(1, QuantizedReference.Attribute(node, "accuracy_level", -1));
        Assert.AreEqual(type == QuantizationType.UInt4 ? 4 : 3, node.Input.Count, "zero points only for UInt4");

        float[] dequantized = QuantizedReference.MatMulNBits(model, node);
        var reference = FourBitModels.MatMul(dequantized, k, n);
        int m = 3;
        float[] x = FourBitModels.Gaussian(m * k, 5);
        float[] actual = FourBitModels.Run(model, temp.Path, "q", x, m, k);
        float[] expected = FourBitModels.Run(reference, temp.Path, "ref", x, m, k);
        FourBitModels.AssertClose(expected, actual, 1e-5f, "fp32 compute");
        FourBitModels.AssertClose(FourBitModels.Multiply(x, m, k, dequantized, n), actual, 1e-5f, "double reference");
    }

    [TestMethod]
    public void AccuracyLevel4QuantizesActivationsToInt8WithinAPercent()
    {
        using var temp = new TempFolder();
        int k = 256, n = 64, m = 4;
        float[] b = FourBitModels.Gaussian(k * n, 1, 0.05f);
        var model = Quantize(FourBitModels.MatMul(b, k, n), new FourBitOptions { AccuracyLevel = 4 }, out _);
        var reference = FourBitModels.MatMul(QuantizedReference.MatMulNBits(model, model.Graph.Node.Single()), k, n);
        float[] x = FourBitModels.Gaussian(m * k, 2);
        FourBitModels.AssertClose(FourBitModels.Run(reference, temp.Path, "ref", x, m, k), FourBitModels.Run(model, temp.Path, "q", x, m, k), 0.02f, "int8 compute");
    }

    [TestMethod]
    [DataRow(1, 0.5f, 2f, true)]
    [DataRow(0, 1f, 1f, true)]
    [DataRow(1, 1.5f, 0.5f, false)]
    [DataRow(0, 1f, 1f, false)]
    public void GemmCarriesTransBAlphaBetaAndBias(int transB, float alpha, float beta, bool constantBias)
    {
        using var temp = new TempFolder();
        int m = 2, k = 40, n = 24;
        float[] b = FourBitModels.Gaussian(k * n, 4);
        float[] c = FourBitModels.Gaussian(constantBias ? n : m * n, 6);
        var graph = new GraphProto { Name = "gemm" };
        graph.Input.Add(ModelFactory.FloatValue("x", m, k));
        graph.Output.Add(ModelFactory.FloatValue("y", m, n));
        graph.Initializer.Add(TensorData.CreateFloat("B", transB == 1 ? [n, k] : [k, n], b));
        if (constantBias)
        {
            graph.Initializer.Add(TensorData.CreateFloat("C", [n], c));
        }
        else
        {
            graph.Input.Add(ModelFactory.FloatValue("C", m, n));
        }

        var gemm = ModelFactory.Node("Gemm", ["x", "B", "C"], ["y"], "gemm");
        gemm.Attribute.Add(FourBitModels.Int("transB", transB));
        gemm.Attribute.Add(FourBitModels.Float("alpha", alpha));
        gemm.Attribute.Add(FourBitModels.Float("beta", beta));
        graph.Node.Add(gemm);
        var original = ModelFactory.Model(graph, 13);

        var model = Quantize(original.Clone(), new FourBitOptions { AccuracyLevel = 1, MinimumWeightElements = 0 }, out var report);

        Assert.AreEqual(1, report.GemmNodes);
        NodeProto node = model.Graph.Node.Single(x => x.OpType == "MatMulNBits");
        Assert.AreEqual(constantBias ? 6 : 3, node.Input.Count, "a constant [N] bias goes to MatMulNBits' bias input (index 5); Int4 has no zero points");
        Assert.AreEqual(constantBias ? 1 : 2 + (beta != 1f ? 1 : 0), model.Graph.Node.Count);

        // Reference: the original Gemm with B replaced by the dequantized weight (alpha folded into the scales is exact up to rounding).
        float[] dequantized = QuantizedReference.MatMulNBits(model, node);
        float scaleAlpha = TensorData.ReadFloats(QuantizedReference.Initializer(model, node.Input[2]))[0] / Scales(model)[0];
        Assert.AreEqual(alpha, scaleAlpha, 1e-6f);
        var reference = original.Clone();
        float[] stored = transB == 1 ? Transpose(dequantized, k, n) : dequantized;
        reference.Graph.Initializer[0] = TensorData.CreateFloat("B", transB == 1 ? [n, k] : [k, n], stored.Select(v => v / alpha).ToArray());
        float[] x = FourBitModels.Gaussian(m * k, 8);
        var inputs = constantBias
            ? new[] { OnnxRunner.Float("x", x, m, k) }
            : new[] { OnnxRunner.Float("x", x, m, k), OnnxRunner.Float("C", c, m, n) };
        float[] expected = RunModel(reference, temp.File("ref.onnx"), inputs);
        float[] actual = RunModel(model, temp.File("q.onnx"), inputs);
        FourBitModels.AssertClose(expected, actual, 1e-5f, "Gemm");
        Validation.OnnxChecker.AssertValid(temp.File("q.onnx"));
    }

    [TestMethod]
    public void SharedWeightIsStoredOnceForEveryMatMul()
    {
        int k = 64, n = 32;
        var model = FourBitModels.MatMul(FourBitModels.Gaussian(k * n, 1), k, n);
        model.Graph.Node.Add(ModelFactory.Node("MatMul", ["x", "B"], ["y2"], "mm2"));
        model.Graph.Output.Add(ModelFactory.FloatValue("y2", 1, n));
        var q = Quantize(model, new FourBitOptions(), out var report);
        Assert.AreEqual(1, report.MatMulNBitsWeights);
        Assert.AreEqual(2, report.MatMulNodes);
        Assert.HasCount(2, q.Graph.Initializer, "packed weight + scales, shared");
        Assert.IsTrue(q.Graph.Node.All(x => x.OpType == "MatMulNBits" && x.Input[1] == q.Graph.Initializer[0].Name));
    }

    internal static ModelProto Quantize(ModelProto model, FourBitOptions options, out FourBitReport report)
    {
        using var wrapper = OnnxModel.FromProto(model);
        report = new FourBitQuantizer(options).Quantize(wrapper);
        return wrapper.Proto;
    }

    internal static float[] RunModel(ModelProto model, string path, params Microsoft.ML.OnnxRuntime.NamedOnnxValue[] inputs)
    {
        using (var wrapper = OnnxModel.FromProto(model))
        {
            wrapper.Save(path);
        }

        return OnnxRunner.Run(path, inputs)[0];
    }

    private static float[] Scales(ModelProto model) => TensorData.ReadFloats(model.Graph.Initializer.Single(t => t.Name.EndsWith("_scales", StringComparison.Ordinal)));

    private static float[] Transpose(float[] w, int rows, int columns)
    {
        var t = new float[w.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                t[(c * rows) + r] = w[(r * columns) + c];
            }
        }

        return t;
    }
}
