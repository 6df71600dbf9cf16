using Compression.Kernels;

namespace Compression.Onnx.Static;

/// <summary>
/// Picks a tensor's quantization range [lo, hi] from its calibration statistics: the observed minimum and maximum and a
/// histogram of every value over the symmetric range [-m, m], m = max(|min|, |max|) (<see cref="HistogramBins"/> bins).
/// Every method returns a range inside [min, max] that contains 0 after <see cref="QuantizationParameters.Compute(float, float, QuantizedType, bool, bool)"/>
/// widens it; each is a plain function of the histogram so tests compare it with a reference computed independently.
/// </summary>
internal static class RangeChooser
{
    /// <summary>Histogram resolution (ONNX Runtime's calibrators use 2048 bins for percentile).</summary>
    public const int HistogramBins = 2048;

    /// <summary>Quantized levels the entropy method compares against (ONNX Runtime and TensorRT use 128).</summary>
    public const int EntropyLevels = 128;

    /// <summary>Fraction of values the percentile method clips, half below and half above (ONNX Runtime's 99.999 percentile).</summary>
    public const double PercentileCut = 1e-5;

    public static (float Lo, float Hi) Choose(CalibrationMethod method, float min, float max, Histogram? histogram) => method switch
    {
        CalibrationMethod.MinMax => (min, max),
        _ when histogram is null || histogram.InRangeCount == 0 => (min, max),
        CalibrationMethod.Percentile => Clamp(Percentile(histogram), min, max),
        CalibrationMethod.Entropy => Clamp(Entropy(histogram), min, max),
        _ => Clamp(Mse(histogram, min, max), min, max),
    };

    /// <summary>
    /// The left edge of the first bin where the cumulative fraction reaches <c>cut/2</c>, and the right edge of the first
    /// bin where it reaches <c>1 - cut/2</c> (numpy's <c>searchsorted</c> on the normalised cumulative sum).
    /// </summary>
    public static (float Lo, float Hi) Percentile(Histogram histogram)
    {
        var counts = histogram.Counts;
        double total = histogram.InRangeCount;
        double lowTarget = PercentileCut / 2, highTarget = 1 - (PercentileCut / 2);
        int lowBin = -1, highBin = counts.Length - 1;
        double cumulative = 0;
        for (int b = 0; b < counts.Length; b++)
        {
            cumulative += counts[b] / total;
            if (lowBin < 0 && cumulative >= lowTarget) lowBin = b;
            if (cumulative >= highTarget)
            {
                highBin = b;
                break;
            }
        }

        return ((float)histogram.BinEdge(Math.Max(lowBin, 0)), (float)histogram.BinEdge(highBin + 1));
    }

    /// <summary>
    /// For each window of bins centred on 0 (half-widths from <see cref="EntropyLevels"/>/2 bins to the whole histogram):
    /// p = the window with the values outside added to its end bins; q = the window merged into
    /// <see cref="EntropyLevels"/> groups, each group's count spread evenly over its non-empty bins; the window with the
    /// smallest KL(p || q) wins (the first on ties). Empty bins of p contribute nothing; a bin where p &gt; 0 and q = 0
    /// counts as q = 1e-10 of the total, so such windows lose.
    /// </summary>
    public static (float Lo, float Hi) Entropy(Histogram histogram)
    {
        var counts = histogram.Counts;
        int bins = counts.Length, zero = bins / 2, half = EntropyLevels / 2;
        double best = double.PositiveInfinity;
        (int Start, int End) bestWindow = (0, bins);
        var p = new double[bins];
        var q = new double[bins];
        for (int i = half; i <= zero; i++)
        {
            int start = zero - i, end = Math.Min(zero + i + 1, bins), width = end - start;
            double below = 0, above = 0;
            for (int b = 0; b < start; b++) below += counts[b];
            for (int b = end; b < bins; b++) above += counts[b];
            for (int b = 0; b < width; b++) p[b] = counts[start + b];
            p[0] += below;
            p[width - 1] += above;

            int merged = width / EntropyLevels;
            for (int level = 0; level < EntropyLevels; level++)
            {
                int from = level * merged, to = level == EntropyLevels - 1 ? width : from + merged;
                double sum = 0;
                int nonEmpty = 0;
                for (int b = from; b < to; b++)
                {
                    sum += counts[start + b];
                    if (p[b] != 0) nonEmpty++;
                }

                for (int b = from; b < to; b++) q[b] = p[b] != 0 && nonEmpty > 0 ? sum / nonEmpty : 0;
            }

            double kl = Divergence(p.AsSpan(0, width), q.AsSpan(0, width));
            if (kl < best)
            {
                best = kl;
                bestWindow = (start, end);
            }
        }

        return ((float)histogram.BinEdge(bestWindow.Start), (float)histogram.BinEdge(bestWindow.End));
    }

    /// <summary>KL(p || q) of two unnormalised distributions over the same bins (natural log).</summary>
    internal static double Divergence(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        double sp = 0, sq = 0;
        for (int i = 0; i < p.Length; i++)
        {
            sp += p[i];
            sq += q[i];
        }

        if (sp == 0) return 0;
        if (sq == 0) return double.PositiveInfinity;
        double kl = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] == 0) continue;
            double pi = p[i] / sp, qi = Math.Max(q[i] / sq, 1e-10);
            kl += pi * Math.Log(pi / qi);
        }

        return kl;
    }

    /// <summary>
    /// Of the ranges [k·min, k·max] for k = 1.00, 0.99, ..., 0.01, the one whose uint8 quantization (ONNX Runtime's scale and
    /// zero point) gives the smallest count-weighted squared error of the bin centres; the widest on ties.
    /// </summary>
    public static (float Lo, float Hi) Mse(Histogram histogram, float min, float max)
    {
        var counts = histogram.Counts;
        double best = double.PositiveInfinity;
        (float Lo, float Hi) bestRange = (min, max);
        for (int k = 100; k >= 1; k--)
        {
            float lo = min * k / 100f, hi = max * k / 100f;
            var (scale, zero) = QuantizationParameters.Compute(lo, hi, QuantizedType.UInt8, symmetric: false);
            double error = 0;
            for (int b = 0; b < counts.Length; b++)
            {
                if (counts[b] == 0) continue;
                double centre = (histogram.BinEdge(b) + histogram.BinEdge(b + 1)) / 2;
                double q = Math.Clamp(Math.Round(centre / scale, MidpointRounding.ToEven) + zero, 0, 255);
                double d = centre - ((q - zero) * scale);
                error += counts[b] * d * d;
            }

            if (error < best)
            {
                best = error;
                bestRange = (lo, hi);
            }
        }

        return bestRange;
    }

    private static (float Lo, float Hi) Clamp((float Lo, float Hi) range, float min, float max) => (Math.Max(range.Lo, min), Math.Min(range.Hi, max));
}
