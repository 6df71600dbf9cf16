using System.Globalization;

namespace Compression.Onnx.Validation;

/// <summary>
/// Running statistics of one output over the validation inputs, one input at a time (nothing is kept between inputs):
/// max and mean |d|, the worst per-input cosine, and argmax agreement along the last axis.
/// </summary>
internal sealed class DeviationAccumulator
{
    private double _max;
    private double _sum;
    private long _count;
    private double _minCosine = 1;
    private long _rows;
    private long _agreeingRows;

    public void Add(double[] expected, double[] actual, long[] shape, string name, string path)
    {
        if (expected.Length != actual.Length)
        {
            throw new CompressionException(DiagnosticCodes.CompressedModelFailsToRun,
                string.Create(CultureInfo.InvariantCulture, $"Output '{name}' has {actual.Length} elements in the compressed model but {expected.Length} in the original."), path,
                "The compression changed the output's shape: report it, and meanwhile exclude the nodes feeding that output.");
        }

        double dot = 0, ee = 0, aa = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(expected[i] - actual[i]);
            if (double.IsNaN(d)) d = double.IsNaN(expected[i]) && double.IsNaN(actual[i]) ? 0 : double.PositiveInfinity;
            _max = Math.Max(_max, d);
            _sum += d;
            dot += expected[i] * actual[i];
            ee += expected[i] * expected[i];
            aa += actual[i] * actual[i];
        }

        _count += expected.Length;
        double cosine = ee == 0 && aa == 0 ? 1 : ee == 0 || aa == 0 ? 0 : dot / Math.Sqrt(ee * aa);
        _minCosine = Math.Min(_minCosine, double.IsNaN(cosine) ? 0 : cosine);

        int last = shape.Length == 0 ? 1 : (int)Math.Max(1, shape[^1]);
        for (int start = 0; start + last <= expected.Length; start += last)
        {
            _rows++;
            if (ArgMax(expected.AsSpan(start, last)) == ArgMax(actual.AsSpan(start, last))) _agreeingRows++;
        }
    }

    /// <summary>numpy's argmax: the first index of the largest value; NaN counts as largest (numpy propagates NaN).</summary>
    internal static int ArgMax(ReadOnlySpan<double> row)
    {
        int best = 0;
        for (int i = 0; i < row.Length; i++)
        {
            if (double.IsNaN(row[i])) return i;
            if (row[i] > row[best]) best = i;
        }

        return best;
    }

    public OutputDeviation ToDeviation(string name) =>
        new(name, _max, _count == 0 ? 0 : _sum / _count, _minCosine, _count, _rows == 0 ? 1 : (double)_agreeingRows / _rows);
}
