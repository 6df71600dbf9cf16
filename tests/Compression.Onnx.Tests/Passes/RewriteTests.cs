using Compression.Onnx.FourBit;
using Compression.Onnx.Fusion;
using Compression.Onnx.IO;
using Compression.Onnx.Passes;
using Compression.Onnx.Quantization;
using Compression.Onnx.Quantization.Integer;
using Compression.Onnx.SixteenBit;
using Compression.Onnx.Static;
using Compression.Onnx.Tests.Pipeline;
using Onnx;
using static Compression.Onnx.Tests.Pipeline.TinyModels;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tests.Passes;

/// <summary>
/// Each rewrite alone on a tiny graph, through the same <see cref="RewriteContext"/> the passes give it: what it
/// changes, what it records and claims, and that a registry holding one operator rewrites only that operator. The
/// numbers are checked by running the rewritten graph against the original in ONNX Runtime.
/// </summary>
[TestClass]
public sealed class RewriteTests
{
    private static RewriteContext Context(ModelProto model, CompressionSettings settings) =>
        new(new CompressionContext(OnnxModel.FromProto(model), settings, "tiny.onnx"));

    private static CompressionSettings Int8 => new() { Quantize = QuantizationType.Int8, MinimumWeightElements = 16 };

    private static List<string> Ops(RewriteContext context) => [.. context.Pass.Model.Proto.Graph.Node.Select(n => n.OpType)];

    /// <summary>Runs the rewritten model and the original on one seeded input; returns the largest |difference| relative to the output's scale.</summary>
    private static double Deviation(ModelProto original, RewriteContext context, long[] shape)
    {
        string dir = PassTestFiles.NewTempDirectory();
        float[] x = Seeded((int)shape.Aggregate(1L, (a, b) => a * b), 5);
        float[] want = Run(Save(original, dir, "a.onnx"), x, shape);
        float[] got = Run(Save(context.Pass.Model.Proto, dir, "b.onnx"), x, shape);
        double scale = want.Max(v => Math.Abs((double)v));
        return want.Zip(got, (a, b) => Math.Abs((double)a - b)).Max() / scale;
    }

    [TestMethod]
    public void BatchNormFold_moves_the_statistics_into_the_conv_and_rebuilds_the_graph_model()
    {
        var original = ConvBatchNorm(4, 8);
        var context = Context(original.Clone(), Int8);
        var before = context.Graph;
        new BatchNormFold().Apply(context, CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "Conv", "Relu" }, Ops(context));
        Assert.AreEqual(1, context.Count(BatchNormFold.Folded));
        Assert.AreNotSame(before, context.Graph, "the fold rewired the Conv: the next rewrite sees a new graph model");
        Assert.AreEqual("n", context.Graph.ProducerOf("n")!.Value.Node.Output[0]);
        Assert.IsFalse(context.Pass.Model.Proto.Graph.Initializer.Any(t => t.Name is "gamma" or "beta" or "mean" or "var"), "statistics nobody reads are gone");
        Assert.IsLessThan(1e-5, Deviation(original, context, [1, 4, 8, 8]));
    }

    [TestMethod]
    public void BatchNormFold_leaves_a_conv_whose_output_is_also_read_elsewhere()
    {
        var model = ConvBatchNorm(4, 8);
        model.Graph.Output.Add(Value("c", DataType.Float, -1, 8, 8, 8));
        var context = Context(model, Int8);
        new BatchNormFold().Apply(context, CancellationToken.None);
        Assert.Contains("BatchNormalization", Ops(context));
        Assert.AreEqual(0, context.Count(BatchNormFold.Folded));
    }

    [TestMethod]
    public void An_integer_registry_rewrites_only_the_operators_it_holds()
    {
        // Conv and MatMul both qualify; a registry holding only the Conv rewrite leaves the MatMul for the next rewrite.
        var model = ConvThenMatMul();
        var context = Context(model.Clone(), Int8);
        new DynamicIntegerOps([new ConvIntegerRewrite()]).Apply(context, CancellationToken.None);

        var ops = Ops(context);
        Assert.Contains("ConvInteger", ops);
        Assert.Contains("MatMul", ops);
        Assert.DoesNotContain("DynamicQuantizeMatMul", ops);
        Assert.AreEqual(1, context.Count(DynamicIntegerOps.Converted("Conv")));
        Assert.IsTrue(context.IsClaimed("Wc"));
        Assert.IsFalse(context.IsClaimed("Wm"));

        new WeightOnlyQuantization().Apply(context, CancellationToken.None);
        Assert.AreEqual(1, context.Count(WeightOnlyQuantization.Dequantized), "only the MatMul weight was left");
        Assert.IsLessThan(0.05, Deviation(model, context, [1, 4, 8, 8]));
    }

    [TestMethod]
    public void MatMul_integer_writes_the_fused_or_the_plain_form()
    {
        var fused = Context(MatMul(64, 32), Int8);
        new DynamicIntegerOps([new MatMulIntegerRewrite()]).Apply(fused, CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "DynamicQuantizeMatMul" }, Ops(fused));

        var plain = Context(MatMul(64, 32), Int8 with { MatMulForm = IntegerMatMulForm.Plain });
        new DynamicIntegerOps([new MatMulIntegerRewrite()]).Apply(plain, CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "DynamicQuantizeLinear", "MatMulInteger", "Cast", "Mul", "Mul" }, Ops(plain));
        Assert.IsLessThan(0.05, Deviation(MatMul(64, 32), plain, [4, 64]));
    }

    [TestMethod]
    public void Gemm_integer_carries_transB_alpha_and_beta()
    {
        var original = MatMul(64, 32, gemm: true, transB: true, alpha: 0.5f, beta: 2f);
        var context = Context(original.Clone(), Int8);
        new DynamicIntegerOps([new GemmIntegerRewrite()]).Apply(context, CancellationToken.None);
        Assert.AreEqual(1, context.Count(DynamicIntegerOps.Converted("Gemm")));
        Assert.DoesNotContain("Gemm", Ops(context));
        Assert.IsLessThan(0.05, Deviation(original, context, [4, 64]));
    }

    [TestMethod]
    public void Activations_read_by_several_integer_ops_are_quantized_once()
    {
        // Two Convs read x: one DynamicQuantizeLinear serves both (per activation and graph).
        var g = new GraphProto { Name = "g" };
        g.Input.Add(Value("x", DataType.Float, 1, 4, 8, 8));
        g.Output.Add(Value("y", DataType.Float, 1, 8, 8, 8));
        g.Initializer.Add(Floats("Wa", [8, 4, 3, 3], Seeded(288, 1, 0.3f)));
        g.Initializer.Add(Floats("Wb", [8, 4, 3, 3], Seeded(288, 2, 0.3f)));
        g.Node.Add(Node("Conv", "a", ["x", "Wa"], ["ya"], Ints("pads", 1, 1, 1, 1)));
        g.Node.Add(Node("Conv", "b", ["x", "Wb"], ["yb"], Ints("pads", 1, 1, 1, 1)));
        g.Node.Add(Node("Add", "sum", ["ya", "yb"], ["y"]));
        var original = Model(g, 13);
        var context = Context(original.Clone(), Int8);
        new DynamicIntegerOps().Apply(context, CancellationToken.None);
        Assert.AreEqual(1, Ops(context).Count(op => op == "DynamicQuantizeLinear"));
        Assert.AreEqual(2, Ops(context).Count(op => op == "ConvInteger"));
        Assert.IsLessThan(0.05, Deviation(original, context, [1, 4, 8, 8]));
    }

    [TestMethod]
    public void A_claimed_weight_is_left_alone_by_the_rewrites_after()
    {
        var context = Context(MatMul(64, 32), Int8);
        context.Claim("W");
        new DynamicIntegerOps().Apply(context, CancellationToken.None);
        new WeightOnlyQuantization().Apply(context, CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "MatMul" }, Ops(context));
        Assert.AreEqual(0, context.Count(WeightOnlyQuantization.Dequantized));
    }

    [TestMethod]
    [DataRow(false, new[] { "Cast", "Mul", "MatMul" })]
    [DataRow(true, new[] { "DequantizeLinear", "MatMul" })]
    public void Weight_only_writes_the_form_the_settings_ask_for(bool dequantizeLinear, string[] expected)
    {
        var form = dequantizeLinear ? WeightOnlyForm.DequantizeLinear : WeightOnlyForm.Foldable;
        var context = Context(MatMul(64, 32, opset: 13), Int8 with { Mode = QuantizationMode.WeightOnly, WeightOnlyForm = form });
        new WeightOnlyQuantization().Apply(context, CancellationToken.None);
        CollectionAssert.AreEqual(expected, Ops(context));
        Assert.IsTrue(context.IsClaimed("W"));
        Assert.IsLessThan(0.02, Deviation(MatMul(64, 32, opset: 13), context, [4, 64]));
    }

    [TestMethod]
    public void Weight_only_as_the_4_bit_fallback_stores_the_8_bit_type_it_is_given()
    {
        var context = Context(ConvThenMatMul(), new CompressionSettings { Quantize = QuantizationType.UInt4, MinimumWeightElements = 16 });
        new WeightOnlyQuantization(QuantizationType.UInt8).Apply(context, CancellationToken.None);
        var stored = context.Pass.Model.Proto.Graph.Initializer.Where(t => t.Name.EndsWith("_quantized", StringComparison.Ordinal)).ToList();
        Assert.HasCount(2, stored);
        Assert.IsTrue(stored.All(t => t.DataType == (int)DataType.Uint8));
    }

    [TestMethod]
    public void Float16_weights_are_stored_in_16_bits_behind_a_cast()
    {
        var original = MatMul(64, 32);
        var context = Context(original.Clone(), new CompressionSettings { Quantize = QuantizationType.Float16 });
        new Float16Weights().Apply(context, CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "Cast", "MatMul" }, Ops(context));
        Assert.AreEqual((int)DataType.Float16, context.Pass.Model.Proto.Graph.Initializer.Single().DataType);
        Assert.AreEqual(1, context.Count(Float16Weights.Converted));
        Assert.IsLessThan(1e-3, Deviation(original, context, [4, 64]));
    }

    [TestMethod]
    public void Four_bit_forms_follow_the_readers_and_leave_the_rest_unclaimed_for_the_next_rewrite()
    {
        // Gather(E) -> MatMul(W1); a Conv weight at opset 17 has no 4-bit form and stays for 8-bit weight-only.
        var model = PinnedModels.Transformerish();
        var context = Context(model, new CompressionSettings { Quantize = QuantizationType.Int4 });
        var report = new FourBitQuantizer(FourBitOptions.From(context.Settings)).Quantize(context.Graph, context.Claim, weightsDone: null, CancellationToken.None);
        var ops = Ops(context);
        Assert.Contains("GatherBlockQuantized", ops);
        Assert.Contains("MatMulNBits", ops);
        Assert.AreEqual(1, report.GatherBlockQuantizedWeights);
        Assert.AreEqual(3, report.MatMulNBitsWeights);
        Assert.IsTrue(context.IsClaimed("E") && context.IsClaimed("W1") && context.IsClaimed("C"), "converted and kept-float weights are claimed");

        var conv = Context(ConvBatchNorm(8, 32), new CompressionSettings { Quantize = QuantizationType.Int4 });
        var convReport = new FourBitQuantizer(FourBitOptions.From(conv.Settings)).Quantize(conv.Graph, conv.Claim, weightsDone: null, CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "W" }, convReport.EightBitCandidates.ToArray());
        Assert.IsFalse(conv.IsClaimed("W"));
        new WeightOnlyQuantization(QuantizationType.Int8).Apply(conv, CancellationToken.None);
        Assert.AreEqual(1, conv.Count(WeightOnlyQuantization.Dequantized));
    }

    [TestMethod]
    public void A_QDQ_registry_places_only_the_operators_it_holds()
    {
        var model = ConvThenMatMul();
        var graph = Context(model, Int8).Graph;
        var all = QdqPlacement.Build(graph, Int8);
        CollectionAssert.AreEqual(new[] { "Conv", "GlobalAveragePool", "MatMul" }, all.Select(p => p.Node.OpType).ToArray());
        Assert.AreEqual("r", all[0].Output, "the Relu after the Conv is folded into its uint8 range");

        var convOnly = QdqPlacement.Build(graph, Int8, new OpRegistry<IQdqOperator>([new QdqWeightedOperator("Conv")]));
        CollectionAssert.AreEqual(new[] { "Conv" }, convOnly.Select(p => p.Node.OpType).ToArray());
    }

    [TestMethod]
    public void A_registry_refuses_two_rewrites_for_one_operator() =>
        Assert.ThrowsExactly<ArgumentException>(() => new OpRegistry<IIntegerOpRewrite>([new ConvIntegerRewrite(), new ConvIntegerRewrite()]));

    /// <summary>x [1, 4, 8, 8] -> Conv(Wc [8, 4, 3, 3]) -> Relu -> GlobalAveragePool -> Flatten -> MatMul(Wm [8, 16]) -> y [1, 16].</summary>
    private static ModelProto ConvThenMatMul()
    {
        var g = new GraphProto { Name = "g" };
        g.Input.Add(Value("x", DataType.Float, 1, 4, 8, 8));
        g.Output.Add(Value("y", DataType.Float, 1, 16));
        g.Initializer.Add(Floats("Wc", [8, 4, 3, 3], Seeded(288, 1, 0.3f)));
        g.Initializer.Add(Floats("Wm", [8, 16], Seeded(128, 2, 0.3f)));
        g.Node.Add(Node("Conv", "conv", ["x", "Wc"], ["c"], Ints("pads", 1, 1, 1, 1)));
        g.Node.Add(Node("Relu", "relu", ["c"], ["r"]));
        g.Node.Add(Node("GlobalAveragePool", "pool", ["r"], ["p"]));
        g.Node.Add(Node("Flatten", "flatten", ["p"], ["f"]));
        g.Node.Add(Node("MatMul", "head", ["f", "Wm"], ["y"]));
        return Model(g, 13);
    }
}
