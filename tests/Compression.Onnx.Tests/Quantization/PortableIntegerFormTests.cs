using Compression.Onnx.Tests.Pipeline;
using Compression.Onnx.Tests.Validation;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tests.Quantization;

/// <summary>
/// The default Int8 integer forms are exact on every CPU: worst-case models (weights at ±max of their column, large
/// positive activations) compressed with default settings give ONNX Runtime's output equal to the exact integer
/// result computed in managed code, and every int8 integer-op weight is structurally bounded so that no u8 x s8 pair
/// sum exceeds int16 (conv weights are stored as uint8 and go through u8 x u8 kernels, which widen both operands). The structural bound is what proves it for CPUs this test does not run on: on AVX-512 VNNI, AVX-VNNI,
/// AMX and arm64 ONNX Runtime accumulates in 32 bits and would hide a saturating form; <c>WeightRange=Full</c> breaks
/// the bound on every CPU. See docs/cpu-portability.md.
/// </summary>
[TestClass]
public sealed class PortableIntegerFormTests
{
    private const int Rows = 4, K = 512, N = 512;
    private const int Channels = 32, Filters = 16, Size = 10, Kernel = 3;

    /// <summary>x [Rows, K] · W [K, N]; column j of W is ±max_j, a quarter of it scaled down so that rounding happens too.</summary>
    private static ModelProto WorstCaseMatMul()
    {
        var g = new GraphProto { Name = "worst_case_matmul" };
        g.Input.Add(TinyModels.Value("x", DataType.Float, -1, K));
        g.Output.Add(TinyModels.Value("y", DataType.Float, -1, N));
        g.Initializer.Add(TinyModels.Floats("W", [K, N], WorstCaseWeights(K, N, column: true, seed: 7)));
        g.Node.Add(TinyModels.Node("MatMul", "matmul", ["x", "W"], ["y"]));
        return TinyModels.Model(g, 17);
    }

    /// <summary>x [1, Channels, Size, Size] * W [Filters, Channels, 3, 3], no padding; filter m of W is ±max_m.</summary>
    private static ModelProto WorstCaseConv()
    {
        var g = new GraphProto { Name = "worst_case_conv" };
        g.Input.Add(TinyModels.Value("x", DataType.Float, 1, Channels, Size, Size));
        g.Output.Add(TinyModels.Value("y", DataType.Float, 1, Filters, Size - Kernel + 1, Size - Kernel + 1));
        g.Initializer.Add(TinyModels.Floats("W", [Filters, Channels, Kernel, Kernel], WorstCaseWeights(Filters, Channels * Kernel * Kernel, column: false, seed: 8)));
        g.Node.Add(TinyModels.Node("Conv", "conv", ["x", "W"], ["y"], TinyModels.Ints("kernel_shape", Kernel, Kernel)));
        return TinyModels.Model(g, 17);
    }

    /// <summary>
    /// Random signs (so pairs of equal sign are common) at the channel's maximum magnitude, which varies per channel;
    /// a quarter of the values take a random fraction of it. Channels are columns of [rows, columns] or rows of it.
    /// </summary>
    private static float[] WorstCaseWeights(int rows, int columns, bool column, int seed)
    {
        var random = new Random(seed);
        var w = new float[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                int channel = column ? c : r;
                float max = 0.5f + channel % 7 * 0.25f;
                float magnitude = random.Next(4) == 0 ? max * (float)random.NextDouble() : max;
                w[r * columns + c] = random.Next(2) == 0 ? magnitude : -magnitude;
            }
        }

        return w;
    }

    /// <summary>Large positive activations: DynamicQuantizeLinear maps them to 150..255 with zero point 0.</summary>
    private static float[] LargePositive(int count) => [.. TinyModels.Seeded(count, 11).Select(v => 4f + 1.5f * v)];

    private static (ModelProto Model, string Source, string Output) Compress(ModelProto model, WeightRange range)
    {
        string dir = PassTestFiles.NewTempDirectory();
        string source = TinyModels.Save(model, dir, "m.onnx");
        string output = Path.Combine(dir, "c.onnx");
        ModelCompressor.Compress(source, output, new CompressionSettings { Quantize = QuantizationType.Int8, WeightRange = range, Validate = false });
        OnnxChecker.AssertValid(output);
        return (ModelProto.Parser.ParseFrom(File.ReadAllBytes(output)), source, output);
    }

    private static double Cosine(float[] a, float[] b)
    {
        double d = 0, x = 0, y = 0;
        for (int i = 0; i < a.Length; i++) { d += (double)a[i] * b[i]; x += (double)a[i] * a[i]; y += (double)b[i] * b[i]; }
        return d / Math.Sqrt(x * y);
    }

    [TestMethod]
    public void Worst_case_MatMul_default_Int8_is_the_exact_integer_result_on_this_CPU()
    {
        var (model, source, output) = Compress(WorstCaseMatMul(), default);
        var node = model.Graph.Node.Single(n => n.OpType == "DynamicQuantizeMatMul");
        Assert.HasCount(3, node.Input, "x, B and b_scale, no zero point: symmetric weights");
        int[] w = IntegerProductReference.Integers(IntegerProductReference.Initializer(model, node.Input[1]));
        float[] scales = IntegerProductReference.Floats(IntegerProductReference.Initializer(model, node.Input[2]));

        float[] x = LargePositive(Rows * K);
        float[] got = TinyModels.Run(output, x, [Rows, K]);
        IntegerProductReference.AssertExact(IntegerProductReference.MatMul(x, Rows, w, N, scales, [0]), got, "DynamicQuantizeMatMul");

        float[] want = TinyModels.Run(source, x, [Rows, K]);
        Assert.IsGreaterThanOrEqualTo(0.9999, Cosine(want, got), "cosine against the float model");
        float[] weights = DynamicErrorBound.Weights(WorstCaseMatMul(), "W");
        var bound = DynamicErrorBound.ForProduct(x, Rows, weights, N, DynamicErrorBound.HalfWeightSteps(weights, K, N, QuantizationType.Int8, WeightRange.Portable));
        DynamicErrorBound.AssertWithin(want, got, bound, "worst-case x·W");
    }

    [TestMethod]
    public void Worst_case_Conv_default_Int8_is_the_exact_integer_result_on_this_CPU()
    {
        var (model, source, output) = Compress(WorstCaseConv(), default);
        var conv = model.Graph.Node.Single(n => n.OpType == "ConvInteger");
        var weight = IntegerProductReference.Initializer(model, conv.Input[1]);
        Assert.AreEqual((int)DataType.Uint8, weight.DataType, "signed conv weights are stored shifted by 128, for the u8 x u8 kernels");
        int[] w = IntegerProductReference.Integers(weight);
        int[] zeroPoint = IntegerProductReference.Integers(IntegerProductReference.Initializer(model, conv.Input[3]));
        CollectionAssert.AreEqual(new[] { 128 }, zeroPoint, "symmetric weights: one scalar zero point at 128");
        Assert.AreEqual(254, w.Max() - w.Min(), "all 8 bits: [-127, 127] + 128");

        // The weight scales are the initializer the rescale multiplies the activation scale with.
        var quantize = model.Graph.Node.Single(n => n.OpType == "DynamicQuantizeLinear");
        var scaleProduct = model.Graph.Node.Single(n => n.OpType == "Mul" && n.Input[0] == quantize.Output[1]);
        float[] scales = IntegerProductReference.Floats(IntegerProductReference.Initializer(model, scaleProduct.Input[1]));
        Assert.HasCount(Filters, scales, "one scale per filter");

        float[] x = LargePositive(Channels * Size * Size);
        long[] shape = [1, Channels, Size, Size];
        float[] got = TinyModels.Run(output, x, shape);
        IntegerProductReference.AssertExact(IntegerProductReference.Conv(x, Channels, Size, Size, w, Filters, Kernel, Kernel, scales, 128), got, "ConvInteger");
        Assert.IsGreaterThanOrEqualTo(0.9999, Cosine(TinyModels.Run(source, x, shape), got), "cosine against the float model");
    }

    [TestMethod]
    public void Every_default_Int8_integer_weight_keeps_pair_sums_within_int16_and_Full_does_not()
    {
        int portable = IntegerProductReference.LargestPairSum(Compress(WorstCaseMatMul(), WeightRange.Portable).Model, out int checkedWeights);
        Assert.AreEqual(1, checkedWeights);
        Assert.IsLessThanOrEqualTo(IntegerProductReference.Int16Max, portable, "2 * 255 * max|q| of the default form");

        // The saturating form fails the same structural check, on every CPU: the test distinguishes the two forms
        // even where ONNX Runtime would compute both exactly.
        int full = IntegerProductReference.LargestPairSum(Compress(WorstCaseMatMul(), WeightRange.Full).Model, out _);
        Assert.IsGreaterThan(IntegerProductReference.Int16Max, full, "WeightRange=Full uses the 8-bit range");
    }

    [TestMethod]
    [DataRow(WeightRange.Portable)]
    [DataRow(WeightRange.Full)]
    public void Conv_weights_are_uint8_for_the_u8_x_u8_kernels_whatever_the_weight_range(WeightRange range)
    {
        var model = Compress(WorstCaseConv(), range).Model;
        Assert.AreEqual(0, IntegerProductReference.LargestPairSum(model, out int checkedWeights), "no int8 weight feeds an integer op");
        Assert.AreEqual(1, checkedWeights);
    }

    [TestMethod]
    public void UInt8_weights_keep_the_full_range_because_u8_x_u8_kernels_widen_both_operands()
    {
        string dir = PassTestFiles.NewTempDirectory();
        string source = TinyModels.Save(WorstCaseMatMul(), dir, "m.onnx");
        string output = Path.Combine(dir, "c.onnx");
        ModelCompressor.Compress(source, output, new CompressionSettings { Quantize = QuantizationType.UInt8, Validate = false });
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(output));
        var node = model.Graph.Node.Single(n => n.OpType == "DynamicQuantizeMatMul");
        var weight = IntegerProductReference.Initializer(model, node.Input[1]);
        Assert.AreEqual((int)DataType.Uint8, weight.DataType);
        int[] w = IntegerProductReference.Integers(weight);
        Assert.AreEqual(255, w.Max() - w.Min(), "uint8 weights use all 256 levels");

        int[] zeroPoints = IntegerProductReference.Integers(IntegerProductReference.Initializer(model, node.Input[3]));
        float[] scales = IntegerProductReference.Floats(IntegerProductReference.Initializer(model, node.Input[2]));
        float[] x = LargePositive(Rows * K);
        IntegerProductReference.AssertExact(IntegerProductReference.MatMul(x, Rows, w, N, scales, zeroPoints), TinyModels.Run(output, x, [Rows, K]), "u8 x u8 DynamicQuantizeMatMul");
    }
}
