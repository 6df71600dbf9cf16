using System.Runtime.InteropServices;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tests.Quantization;

/// <summary>
/// The exact result of the integer forms, computed in managed code from the stored integers: what every CPU must
/// produce when no intermediate sum overflows. <c>DynamicQuantizeLinear</c> follows the ONNX spec (float32 steps:
/// range widened to 0, scale = range / 255, zero point and values rounded half to even, saturated to uint8); products
/// are accumulated in 64-bit integers, so the reference itself cannot overflow.
/// </summary>
internal static class IntegerProductReference
{
    /// <summary>The integer-op weight checked structurally: <c>2 * 255 * max|q|</c> must fit int16.</summary>
    public const int Int16Max = short.MaxValue;

    public static (byte[] Q, float Scale, int ZeroPoint) DynamicQuantizeLinear(float[] x)
    {
        float min = Math.Min(0f, x.Min()), max = Math.Max(0f, x.Max());
        float scale = (max - min) / 255f;
        int zeroPoint = (int)Math.Clamp(MathF.Round(0f - min / scale, MidpointRounding.ToEven), 0f, 255f);
        var q = new byte[x.Length];
        for (int i = 0; i < x.Length; i++) q[i] = (byte)Math.Clamp(MathF.Round(x[i] / scale, MidpointRounding.ToEven) + zeroPoint, 0f, 255f);
        return (q, scale, zeroPoint);
    }

    /// <summary>The stored integer weight as signed values (int8 or uint8 storage).</summary>
    public static int[] Integers(TensorProto t)
    {
        var raw = t.RawData.Span;
        var values = new int[raw.Length];
        for (int i = 0; i < raw.Length; i++) values[i] = t.DataType == (int)DataType.Int8 ? unchecked((sbyte)raw[i]) : raw[i];
        return values;
    }

    public static float[] Floats(TensorProto t) => MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray();

    public static TensorProto Initializer(ModelProto model, string name) => model.Graph.Initializer.Single(t => t.Name == name);

    /// <summary>
    /// (x_q - x_zp)·(w_q - w_zp) over k for x [rows, k] and w [k, n], times x_scale · w_scale[column], as
    /// <c>DynamicQuantizeMatMul</c> / <c>MatMulInteger</c> + rescale define it.
    /// </summary>
    public static double[] MatMul(float[] x, int rows, int[] w, int n, float[] wScale, int[] wZeroPoint)
    {
        var (q, xs, xzp) = DynamicQuantizeLinear(x);
        int k = x.Length / rows;
        var y = new double[rows * n];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < n; j++)
            {
                long acc = 0;
                for (int i = 0; i < k; i++) acc += (long)(q[r * k + i] - xzp) * (w[i * n + j] - wZeroPoint[wZeroPoint.Length == 1 ? 0 : j]);
                y[r * n + j] = acc * ((double)xs * wScale[wScale.Length == 1 ? 0 : j]);
            }
        }

        return y;
    }

    /// <summary>
    /// <c>ConvInteger</c> (no padding, stride 1) of x [1, c, h, w] with w [m, c, kh, kw] and a scalar weight zero point,
    /// times x_scale · w_scale[m]: the [1, m, h - kh + 1, w - kw + 1] output.
    /// </summary>
    public static double[] Conv(float[] x, int c, int h, int width, int[] w, int m, int kh, int kw, float[] wScale, int wZeroPoint)
    {
        var (q, xs, xzp) = DynamicQuantizeLinear(x);
        int oh = h - kh + 1, ow = width - kw + 1;
        var y = new double[m * oh * ow];
        for (int o = 0; o < m; o++)
        {
            for (int i = 0; i < oh; i++)
            {
                for (int j = 0; j < ow; j++)
                {
                    long acc = 0;
                    for (int ch = 0; ch < c; ch++)
                    {
                        for (int a = 0; a < kh; a++)
                        {
                            for (int b = 0; b < kw; b++)
                            {
                                acc += (long)(q[(ch * h + i + a) * width + j + b] - xzp) * (w[((o * c + ch) * kh + a) * kw + b] - wZeroPoint);
                            }
                        }
                    }

                    y[(o * oh + i) * ow + j] = acc * ((double)xs * wScale[wScale.Length == 1 ? 0 : o]);
                }
            }
        }

        return y;
    }

    /// <summary>
    /// The largest pair sum a u8 x s8 kernel can form for any int8 weight that feeds an integer op in the model:
    /// <c>2 * 255 * max|q|</c>. Kernels that add pairs into int16 (<c>vpmaddubsw</c>) are exact when it is at most
    /// <see cref="Int16Max"/>. Uint8 weights go through u8 x u8 kernels that widen both operands to 16 bits first, so they
    /// contribute nothing. <paramref name="checkedWeights"/> counts the weights looked at, so a test cannot pass vacuously.
    /// </summary>
    public static int LargestPairSum(ModelProto model, out int checkedWeights)
    {
        int largest = 0;
        checkedWeights = 0;
        var graphs = AllGraphs(model.Graph).ToList();
        var initializers = graphs.SelectMany(g => g.Initializer).ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var node in graphs.SelectMany(g => g.Node))
        {
            if (node.OpType is not ("DynamicQuantizeMatMul" or "MatMulInteger" or "ConvInteger")) continue;
            var weight = initializers[node.Input[1]];
            checkedWeights++;
            if (weight.DataType != (int)DataType.Int8) continue;
            int maxMagnitude = Integers(weight).Max(Math.Abs);
            largest = Math.Max(largest, 2 * 255 * maxMagnitude);
        }

        return largest;
    }

    /// <summary>Every element of <paramref name="got"/> equal to the exact <paramref name="want"/> up to float32 rounding.</summary>
    public static void AssertExact(double[] want, float[] got, string what)
    {
        Assert.HasCount(want.Length, got);
        double scale = want.Max(Math.Abs);
        for (int i = 0; i < want.Length; i++)
        {
            // ONNX Runtime converts the int32 sum to float and multiplies by two float scales: a few float32 roundings.
            double tolerance = 4 * Math.Pow(2, -24) * Math.Abs(want[i]) + 1e-7 * scale;
            Assert.IsLessThanOrEqualTo(tolerance, Math.Abs(got[i] - want[i]),
                $"{what}: output {i} is {got[i]:G9}, the exact integer result is {want[i]:G9} (an overflowed pair sum?)");
        }
    }

    private static IEnumerable<GraphProto> AllGraphs(GraphProto graph)
    {
        yield return graph;
        foreach (var a in graph.Node.SelectMany(n => n.Attribute))
        {
            if (a.G is not null) foreach (var g in AllGraphs(a.G)) yield return g;
            foreach (var g in a.Graphs.SelectMany(AllGraphs)) yield return g;
        }
    }
}
