using System.Runtime.InteropServices;
using Onnx;

namespace Compression.Onnx.Tests.Quantization;

/// <summary>
/// What dynamic 8-bit quantization guarantees for one product <c>y = x·W</c> (x [rows, k], W [k, n]) when the integer
/// product is exact, i.e. no int16 pair sum saturates. Stored weights differ from W by at most half a weight step per
/// column (<c>hw</c>); <c>DynamicQuantizeLinear</c> moves each activation by at most half its step (<c>hx</c>, ONNX spec:
/// scale = (max(x, 0) - min(x, 0)) / 255). With an input already off by at most <c>e</c> per element (a product
/// feeding another), every output satisfies
/// <c>|y' - y| &lt;= hw·Σ(|x| + e) + hx·Σ(|w| + hw) + e·Σ|w|</c>, plus float32 rounding of both computations.
/// The bound is computed from the original weights and inputs only, never from the compressed model.
/// </summary>
internal static class DynamicErrorBound
{
    /// <summary>Half the weight step of each output column for the form the settings write.</summary>
    /// <param name="w">The original weights [k, n].</param>
    /// <param name="k">Rows of W.</param>
    /// <param name="n">Columns (outputs) of W.</param>
    /// <param name="type">Int8 (symmetric: [-64, 64] when portable, [-127, 127] when full) or UInt8 (asymmetric [0, 255]).</param>
    /// <param name="range">The WeightRange setting.</param>
    public static double[] HalfWeightSteps(float[] w, int k, int n, QuantizationType type, WeightRange range)
    {
        var half = new double[n];
        for (int j = 0; j < n; j++)
        {
            double min = 0, max = 0;
            for (int i = 0; i < k; i++)
            {
                min = Math.Min(min, w[i * n + j]);
                max = Math.Max(max, w[i * n + j]);
            }

            double step = type == QuantizationType.Int8
                ? 2 * Math.Max(-min, max) / (range == WeightRange.Portable ? 128 : 254)
                : (max - min) / 255;
            half[j] = step / 2;
        }

        return half;
    }

    /// <summary>The per-element bound on |y' - y| for y = x·W, [rows, n].</summary>
    /// <param name="x">The exact input [rows, k].</param>
    /// <param name="rows">Rows of x.</param>
    /// <param name="w">The original weights [k, n].</param>
    /// <param name="n">Columns of W.</param>
    /// <param name="halfWeightSteps">From <see cref="HalfWeightSteps"/>.</param>
    /// <param name="inputError">How far the input the integer op sees may be from <paramref name="x"/>, per element.</param>
    public static double[] ForProduct(float[] x, int rows, float[] w, int n, double[] halfWeightSteps, double inputError = 0)
    {
        int k = x.Length / rows;
        double xMin = 0, xMax = 0;
        foreach (float v in x)
        {
            xMin = Math.Min(xMin, v);
            xMax = Math.Max(xMax, v);
        }

        // DynamicQuantizeLinear quantizes the whole tensor with one scale; the input it sees may be wider by e on each side.
        double hx = (xMax - xMin + 2 * inputError) / 255 / 2;

        // float32 rounding of two k-term dot products (reference and rescaled integer result): 2·(k + 2)·u of Σ|x||w|.
        double rounding = 2 * (k + 2) * Math.Pow(2, -24);
        var bound = new double[rows * n];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < n; j++)
            {
                double hw = halfWeightSteps[j], sumX = 0, sumW = 0, sumXW = 0;
                for (int i = 0; i < k; i++)
                {
                    double xi = Math.Abs(x[r * k + i]) + inputError, wi = Math.Abs(w[i * n + j]);
                    sumX += xi;
                    sumW += wi;
                    sumXW += xi * (wi + hw);
                }

                bound[r * n + j] = hw * sumX + hx * (sumW + k * hw) + inputError * sumW + rounding * sumXW + 1e-7;
            }
        }

        return bound;
    }

    /// <summary>x·W in double, [rows, n].</summary>
    public static float[] Product(float[] x, int rows, float[] w, int n)
    {
        int k = x.Length / rows;
        var y = new float[rows * n];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int i = 0; i < k; i++) sum += (double)x[r * k + i] * w[i * n + j];
                y[r * n + j] = (float)sum;
            }
        }

        return y;
    }

    /// <summary>Every element of <paramref name="got"/> within its bound of <paramref name="want"/>.</summary>
    public static void AssertWithin(float[] want, float[] got, double[] bound, string what)
    {
        Assert.HasCount(want.Length, got);
        int worst = 0;
        double worstRatio = 0;
        for (int i = 0; i < want.Length; i++)
        {
            double ratio = Math.Abs(got[i] - want[i]) / bound[i];
            if (ratio > worstRatio)
            {
                worstRatio = ratio;
                worst = i;
            }
        }

        Assert.IsLessThanOrEqualTo(1.0, worstRatio,
            $"{what}: output {worst} deviates by {Math.Abs(got[worst] - want[worst]):G4}, above the guaranteed {bound[worst]:G4} (a saturated integer product?)");
    }

    /// <summary>The values of the float initializer or Constant named <paramref name="name"/> in the original model.</summary>
    public static float[] Weights(ModelProto model, string name)
    {
        var tensor = model.Graph.Initializer.FirstOrDefault(t => t.Name == name)
            ?? model.Graph.Node.First(n => n.OpType == "Constant" && n.Output[0] == name).Attribute.Single(a => a.Name == "value").T;
        return MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }

    /// <summary>A row-major [rows, columns] matrix transposed.</summary>
    public static float[] Transpose(float[] values, int rows, int columns)
    {
        var t = new float[values.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++) t[c * rows + r] = values[r * columns + c];
        }

        return t;
    }
}
