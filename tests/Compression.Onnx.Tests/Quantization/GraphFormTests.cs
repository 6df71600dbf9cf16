using Compression.Onnx.Quantization;
using Compression.Onnx.Tests.Pipeline;
using Compression.Onnx.Tests.Validation;
using Onnx;

namespace Compression.Onnx.Tests.Quantization;

/// <summary>What the passes write for each op and opset, checked on the graph and by running it against the float model.</summary>
[TestClass]
public sealed class GraphFormTests
{
    private static (ModelProto Model, string Source, string Output, CompressionReport Report) Compress(ModelProto model, CompressionSettings settings)
    {
        string dir = PassTestFiles.NewTempDirectory();
        string source = TinyModels.Save(model, dir, "m.onnx");
        string output = Path.Combine(dir, "c.onnx");
        var report = ModelCompressor.Compress(source, output, settings);
        OnnxChecker.AssertValid(output);
        return (ModelProto.Parser.ParseFrom(File.ReadAllBytes(output)), source, output, report);
    }

    private static List<NodeProto> AllNodes(GraphProto g) =>
        [.. g.Node, .. g.Node.SelectMany(n => n.Attribute).Where(a => a.G is not null).SelectMany(a => AllNodes(a.G))];

    /// <summary>
    /// Runs the original and the compressed model on one seeded input and checks cosine and max |d|. Cosine alone misses
    /// a wrong scale (a doubled scale keeps it at 1 on these bias-free graphs), so max |d| must also stay within
    /// <paramref name="maxRelative"/> of the output's own scale (max |want|). This is a coarse check that catches wrong
    /// scales and saturated products (errors of the order of the output); the precision guarantee of the integer forms
    /// is <see cref="DynamicErrorBound"/>, asserted per element by <see cref="AssertWithinDynamicBound"/>.
    /// </summary>
    private static (float[] X, float[] Want, float[] Got) AssertClose(string source, string output, long[] shape, double minCosine = 0.999, double maxRelative = 0.05)
    {
        float[] x = TinyModels.Seeded((int)shape.Aggregate(1L, (a, b) => a * b), 99);
        float[] want = TinyModels.Run(source, x, shape), got = TinyModels.Run(output, x, shape);
        Assert.HasCount(want.Length, got);
        Assert.IsGreaterThan(minCosine, OutputSimilarity.Cosine(want, got));
        double scale = want.Max(v => Math.Abs((double)v)), maxAbs = 0;
        for (int i = 0; i < want.Length; i++) maxAbs = Math.Max(maxAbs, Math.Abs((double)got[i] - want[i]));
        Assert.IsLessThanOrEqualTo(maxRelative * scale, maxAbs, $"max |d| {maxAbs:G4} against an output scale of {scale:G4}");
        return (x, want, got);
    }

    /// <summary>The compressed y = alpha·x·W (W [k, n], or [n, k] with transB) within what the portable form guarantees.</summary>
    private static void AssertWithinDynamicBound(ModelProto original, (float[] X, float[] Want, float[] Got) run, int k, int n, QuantizationType type, bool transB = false, float alpha = 1f)
    {
        float[] w = DynamicErrorBound.Weights(original, "W");
        if (transB) w = DynamicErrorBound.Transpose(w, n, k);
        int rows = run.X.Length / k;
        var bound = DynamicErrorBound.ForProduct(run.X, rows, w, n, DynamicErrorBound.HalfWeightSteps(w, k, n, type, WeightRange.Portable));
        for (int i = 0; i < bound.Length; i++) bound[i] = bound[i] * Math.Abs(alpha) + 1e-6; // + the float bias add (beta·b, |b| <= 2)
        DynamicErrorBound.AssertWithin(run.Want, run.Got, bound, type + " x·W");
    }

    [TestMethod]
    [DataRow(QuantizationType.Int8)]
    [DataRow(QuantizationType.UInt8)]
    public void Dynamic_MatMul_becomes_one_fused_DynamicQuantizeMatMul(QuantizationType type)
    {
        var (model, source, output, _) = Compress(TinyModels.MatMul(64, 48), new CompressionSettings { Quantize = type });
        var node = model.Graph.Node.Single(n => n.OpType == "DynamicQuantizeMatMul");
        Assert.AreEqual("com.microsoft", node.Domain);
        Assert.IsFalse(model.Graph.Node.Any(n => n.OpType == "MatMul"));
        var scale = model.Graph.Initializer.Single(t => t.Name == node.Input[2]);
        Assert.AreEqual(48, scale.Dims[0], "one scale per output column");
        AssertWithinDynamicBound(TinyModels.MatMul(64, 48), AssertClose(source, output, [5, 64]), 64, 48, type);
    }

    [TestMethod]
    [DataRow(QuantizationType.Int8)]
    [DataRow(QuantizationType.UInt8)]
    public void Dynamic_MatMul_plain_form_is_integer_matmul_with_per_column_scales(QuantizationType type)
    {
        var (model, source, output, _) = Compress(TinyModels.MatMul(64, 48), new CompressionSettings { Quantize = type, MatMulForm = IntegerMatMulForm.Plain });
        var ops = model.Graph.Node.Select(n => n.OpType).ToList();
        CollectionAssert.IsSubsetOf(new[] { "DynamicQuantizeLinear", "MatMulInteger", "Cast", "Mul" }, ops);
        Assert.DoesNotContain("MatMul", ops);
        var weight = model.Graph.Initializer.Single(t => t.Dims.Count == 2 && t.DataType == (int)(type == QuantizationType.Int8 ? TensorProto.Types.DataType.Int8 : TensorProto.Types.DataType.Uint8));
        CollectionAssert.AreEqual(new long[] { 64, 48 }, weight.Dims.ToArray());
        var scale = model.Graph.Initializer.Single(t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.Count == 1);
        Assert.AreEqual(48, scale.Dims[0], "one scale per output column");
        AssertWithinDynamicBound(TinyModels.MatMul(64, 48), AssertClose(source, output, [5, 64]), 64, 48, type);
    }

    [TestMethod]
    public void Dynamic_Gemm_folds_transB_alpha_and_beta()
    {
        var original = TinyModels.MatMul(64, 40, gemm: true, transB: true, alpha: 0.5f, beta: 2f);
        var (model, source, output, _) = Compress(original, new CompressionSettings { Quantize = QuantizationType.Int8 });
        Assert.IsFalse(model.Graph.Node.Any(n => n.OpType == "Gemm"));
        Assert.IsTrue(model.Graph.Node.Any(n => n.OpType == "DynamicQuantizeMatMul"));
        AssertWithinDynamicBound(original, AssertClose(source, output, [3, 64]), 64, 40, QuantizationType.Int8, transB: true, alpha: 0.5f);
    }

    [TestMethod]
    public void Conv_with_BatchNormalization_is_folded_then_integer_conv()
    {
        var (model, source, output, report) = Compress(TinyModels.ConvBatchNorm(8, 16), new CompressionSettings { Quantize = QuantizationType.Int8, MinimumWeightElements = 64 });
        var ops = model.Graph.Node.Select(n => n.OpType).ToList();
        Assert.DoesNotContain("BatchNormalization", ops);
        Assert.Contains("ConvInteger", ops);
        Assert.AreEqual("1", report.Metadata["compression.batchnorm_folded"]);
        AssertClose(source, output, [2, 8, 8, 8]);
    }

    [TestMethod]
    [DataRow(QuantizationType.Int8, true, true)]
    [DataRow(QuantizationType.UInt8, true, true)]
    [DataRow(QuantizationType.Int8, false, false)]
    [DataRow(QuantizationType.UInt8, false, false)]
    public void ConvInteger_only_where_one_scalar_weight_zero_point_fits(QuantizationType type, bool symmetric, bool integerConv)
    {
        // ONNX Runtime's ConvInteger fails with a per-channel zero point: asymmetric per-channel Conv stays weight-only.
        var (model, source, output, _) = Compress(TinyModels.ConvBatchNorm(8, 16), new CompressionSettings { Quantize = type, Symmetric = symmetric, MinimumWeightElements = 64 });
        Assert.AreEqual(integerConv, model.Graph.Node.Any(n => n.OpType == "ConvInteger"));
        var zeroPoints = model.Graph.Node.Where(n => n.OpType == "ConvInteger" && n.Input.Count > 3).Select(n => n.Input[3]).ToList();
        foreach (string zp in zeroPoints) Assert.IsEmpty(model.Graph.Initializer.Single(t => t.Name == zp).Dims, "scalar weight zero point");
        AssertClose(source, output, [2, 8, 8, 8], 0.998);
    }

    [TestMethod]
    public void Weight_only_at_opset_13_uses_the_foldable_form_by_default()
    {
        var (model, source, output, _) = Compress(TinyModels.MatMul(64, 32, opset: 13), new CompressionSettings { Quantize = QuantizationType.Int8, Mode = QuantizationMode.WeightOnly });
        var ops = model.Graph.Node.Select(n => n.OpType).ToList();
        CollectionAssert.IsSubsetOf(new[] { "Cast", "Mul", "MatMul" }, ops);
        Assert.DoesNotContain("DequantizeLinear", ops);
        AssertClose(source, output, [4, 64]);
    }

    [TestMethod]
    public void Weight_only_at_opset_13_can_write_DequantizeLinear_with_axis()
    {
        var settings = new CompressionSettings { Quantize = QuantizationType.Int8, Mode = QuantizationMode.WeightOnly, WeightOnlyForm = Compression.Onnx.Quantization.WeightOnlyForm.DequantizeLinear };
        var (model, source, output, _) = Compress(TinyModels.MatMul(64, 32, opset: 13), settings);
        var dq = model.Graph.Node.Single(n => n.OpType == "DequantizeLinear");
        Assert.AreEqual(string.Empty, dq.Domain);
        Assert.IsTrue(dq.Attribute.Any(a => a.Name == "axis"));
        AssertClose(source, output, [4, 64]);
    }

    [TestMethod]
    public void Weight_only_at_opset_9_keeps_the_opset_and_uses_Cast_and_Mul()
    {
        var (model, source, output, _) = Compress(TinyModels.MatMul(64, 32, opset: 9, constantNode: true), new CompressionSettings { Quantize = QuantizationType.Int8, Mode = QuantizationMode.WeightOnly });
        Assert.AreEqual(9, model.OpsetImport.Single(o => o.Domain.Length == 0).Version);
        var ops = model.Graph.Node.Select(n => n.OpType).ToList();
        Assert.DoesNotContain("DequantizeLinear", ops);
        Assert.DoesNotContain("DynamicQuantizeLinear", ops);
        CollectionAssert.IsSubsetOf(new[] { "Cast", "Mul", "MatMul" }, ops);
        AssertClose(source, output, [4, 64]);
    }

    [TestMethod]
    public void Dynamic_at_opset_9_uses_the_contrib_fused_matmul_without_raising_the_opset()
    {
        var original = TinyModels.MatMul(64, 32, opset: 9, constantNode: true);
        var (model, source, output, _) = Compress(original, new CompressionSettings { Quantize = QuantizationType.Int8 });
        Assert.AreEqual(9, model.OpsetImport.Single(o => o.Domain.Length == 0).Version);
        Assert.AreEqual("com.microsoft", model.Graph.Node.Single(n => n.OpType == "DynamicQuantizeMatMul").Domain);
        Assert.DoesNotContain("DynamicQuantizeLinear", model.Graph.Node.Select(n => n.OpType).ToList());
        AssertWithinDynamicBound(original, AssertClose(source, output, [4, 64]), 64, 32, QuantizationType.Int8);
    }

    [TestMethod]
    public void A_weight_shared_by_two_nodes_is_stored_once()
    {
        var model = TinyModels.MatMul(64, 64);
        model.Graph.Node.Add(TinyModels.Node("MatMul", "second", ["y", "W"], ["z"]));
        model.Graph.Output[0] = TinyModels.Value("z", TensorProto.Types.DataType.Float, -1, 64);
        var (compressed, source, output, _) = Compress(model, new CompressionSettings { Quantize = QuantizationType.Int8 });
        Assert.AreEqual(1, compressed.Graph.Initializer.Count(t => t.DataType == (int)TensorProto.Types.DataType.Int8));
        Assert.AreEqual(2, compressed.Graph.Node.Count(n => n.OpType == "DynamicQuantizeMatMul"));

        // z = (x·W)·W: the second product sees y' = x·W off by at most the first bound, which the second bound carries.
        var run = AssertClose(source, output, [2, 64], 0.998);
        float[] w = DynamicErrorBound.Weights(model, "W");
        var half = DynamicErrorBound.HalfWeightSteps(w, 64, 64, QuantizationType.Int8, WeightRange.Portable);
        float[] y = DynamicErrorBound.Product(run.X, 2, w, 64);
        double first = DynamicErrorBound.ForProduct(run.X, 2, w, 64, half).Max();
        DynamicErrorBound.AssertWithin(run.Want, run.Got, DynamicErrorBound.ForProduct(y, 2, w, 64, half, first), "(x·W)·W");
    }

    [TestMethod]
    public void Excluded_nodes_stay_float()
    {
        var model = TinyModels.MatMul(64, 64);
        model.Graph.Node.Add(TinyModels.Node("MatMul", "second", ["y", "W2"], ["z"]));
        model.Graph.Initializer.Add(TinyModels.Floats("W2", [64, 64], TinyModels.Seeded(4096, 5)));
        model.Graph.Output[0] = TinyModels.Value("z", TensorProto.Types.DataType.Float, -1, 64);
        var (compressed, _, _, _) = Compress(model, new CompressionSettings { Quantize = QuantizationType.Int8, ExcludeNodes = ["second"] });
        Assert.AreEqual(1, compressed.Graph.Node.Count(n => n.OpType == "DynamicQuantizeMatMul"));
        Assert.IsTrue(compressed.Graph.Node.Any(n => n.Name == "second" && n.OpType == "MatMul"));
        Assert.IsTrue(compressed.Graph.Initializer.Any(t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.SequenceEqual([64L, 64L])));
    }

    [TestMethod]
    public void Float16_weight_only_stores_half_and_casts_back()
    {
        var model = TinyModels.MatMul(64, 32);
        var w = model.Graph.Initializer[0];
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(w.RawData.ToByteArray()).ToArray();
        values[0] = 1e6f; // beyond float16: must clamp to 65504, not become infinity
        w.RawData = Google.Protobuf.ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        var (compressed, _, _, _) = Compress(model, new CompressionSettings { Quantize = QuantizationType.Float16, Validate = false });
        var half = compressed.Graph.Initializer.Single(t => t.DataType == (int)TensorProto.Types.DataType.Float16);
        Assert.AreEqual((Half)65504f, BitConverter.UInt16BitsToHalf(BitConverter.ToUInt16(half.RawData.Span)));
        var cast = compressed.Graph.Node.Single(n => n.OpType == "Cast");
        Assert.AreEqual((long)TensorProto.Types.DataType.Float, cast.Attribute.Single(a => a.Name == "to").I);
    }

    [TestMethod]
    public void Float16_full_keeps_float_inputs_and_outputs_and_runs()
    {
        var model = TinyModels.ConvBatchNorm(8, 16);
        var (compressed, source, output, report) = Compress(model, new CompressionSettings { Quantize = QuantizationType.Float16, Mode = QuantizationMode.Full, MinimumWeightElements = 1 });
        Assert.AreEqual(model.Graph.Input.ToString(), compressed.Graph.Input.ToString());
        Assert.AreEqual(model.Graph.Output.ToString(), compressed.Graph.Output.ToString());
        Assert.IsTrue(compressed.Graph.Initializer.All(t => t.DataType == (int)TensorProto.Types.DataType.Float16), "every stored float is float16");
        Assert.AreEqual((long)TensorProto.Types.DataType.Float16, compressed.Graph.Node.First(n => n.OpType == "Cast").Attribute.Single(a => a.Name == "to").I, "the input enters through a cast to float16");
        Assert.IsTrue(report.Metadata.ContainsKey("compression.float32_ops"));
        AssertClose(source, output, [2, 8, 8, 8], 0.999);
    }

    [TestMethod]
    public void Float16_full_refuses_control_flow_with_a_coded_error()
    {
        string dir = PassTestFiles.NewTempDirectory();
        var e = Assert.ThrowsExactly<CompressionException>(() => ModelCompressor.Compress(PassTestFiles.VadModel, Path.Combine(dir, "v.onnx"), new CompressionSettings { Quantize = QuantizationType.Float16, Mode = QuantizationMode.Full }));
        Assert.AreEqual(DiagnosticCodes.UnsupportedSetting, e.Code);
    }

    [TestMethod]
    [DataRow(9)]
    [DataRow(17)]
    public void BFloat16_weights_decode_to_exactly_the_bfloat16_values(int opset)
    {
        // The weight feeds Identity straight to the output, so the output is the decoded weight itself.
        var g = new GraphProto { Name = "g" };
        g.Input.Add(TinyModels.Value("x", TensorProto.Types.DataType.Float, 1));
        g.Output.Add(TinyModels.Value("y", TensorProto.Types.DataType.Float, 300));
        float[] w = TinyModels.Seeded(300, 21, 100f);
        w[0] = 0f; w[1] = -0f; w[2] = 3.0e38f; w[3] = -1.5e-30f; w[4] = 1f;
        g.Initializer.Add(TinyModels.Floats("W", [300], w));
        g.Node.Add(TinyModels.Node("Identity", "id", ["W"], ["y"]));
        var (_, _, output, _) = Compress(TinyModels.Model(g, opset), new CompressionSettings { Quantize = QuantizationType.BFloat16, Validate = false });
        float[] got = TinyModels.Run(output, [0f], [1]);
        var bits = new ushort[w.Length];
        Compression.Kernels.FloatConverter.ToBFloat16Saturating(w, bits);
        var expected = new float[w.Length];
        Compression.Kernels.FloatConverter.FromBFloat16(bits, expected);
        CollectionAssert.AreEqual(expected, got);
    }
}
