using Compression.Kernels;
using Compression.Onnx.Static;

namespace Compression.Onnx.Tests.Static;

/// <summary>Every calibration method on recorded histograms, against references written here from the definitions.</summary>
[TestClass]
public sealed class RangeChooserTests
{
    /// <summary>A recorded activation: mostly N(0.5, 0.2) clipped at 0 (post-Relu), with a few outliers up to 6.</summary>
    private static (float[] Values, Histogram Histogram) Recorded()
    {
        var random = new Random(11);
        var values = new float[200_000];
        for (int i = 0; i < values.Length; i++)
        {
            double g = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            values[i] = i % 20_000 == 0 ? (float)(3 + (3 * random.NextDouble())) : (float)Math.Max(0, 0.5 + (0.2 * g));
        }

        float m = values.Max();
        var histogram = new Histogram(RangeChooser.HistogramBins, -m, m);
        histogram.Add(values);
        return (values, histogram);
    }

    [TestMethod]
    public void MinMax_is_the_observed_range()
    {
        var (values, histogram) = Recorded();
        Assert.AreEqual((values.Min(), values.Max()), RangeChooser.Choose(CalibrationMethod.MinMax, values.Min(), values.Max(), histogram));
    }

    [TestMethod]
    public void Percentile_matches_searchsorted_on_the_normalised_cumulative_histogram()
    {
        var (values, histogram) = Recorded();
        double[] cdf = new double[histogram.BinCount];
        double run = 0;
        for (int b = 0; b < cdf.Length; b++) cdf[b] = run += histogram.Counts[b] / (double)histogram.InRangeCount;
        int left = Array.FindIndex(cdf, c => c >= RangeChooser.PercentileCut / 2);
        int right = Array.FindIndex(cdf, c => c >= 1 - (RangeChooser.PercentileCut / 2));
        var expected = ((float)histogram.BinEdge(left), (float)histogram.BinEdge(right + 1));
        Assert.AreEqual(expected, RangeChooser.Percentile(histogram));
        // The 10 outliers (0.005%) are cut above, nothing below 0.
        var (lo, hi) = RangeChooser.Choose(CalibrationMethod.Percentile, values.Min(), values.Max(), histogram);
        Assert.AreEqual(0f, lo);
        Assert.IsLessThan(values.Max(), hi);
    }

    [TestMethod]
    public void Mse_picks_the_shrink_with_the_least_squared_error_brute_force()
    {
        var (values, histogram) = Recorded();
        float min = values.Min(), max = values.Max();
        double best = double.MaxValue;
        (float, float) expected = default;
        for (int k = 100; k >= 1; k--)
        {
            float lo = min * k / 100f, hi = max * k / 100f;
            var p = QuantizationParameters.Compute(lo, hi, QuantizedType.UInt8, symmetric: false);
            double error = 0;
            for (int b = 0; b < histogram.BinCount; b++)
            {
                double c = (histogram.BinEdge(b) + histogram.BinEdge(b + 1)) / 2;
                double q = Math.Min(255, Math.Max(0, Math.Round(c / p.Scale, MidpointRounding.ToEven) + p.ZeroPoint));
                error += histogram.Counts[b] * Math.Pow(c - ((q - p.ZeroPoint) * p.Scale), 2);
            }

            if (error < best)
            {
                best = error;
                expected = (lo, hi);
            }
        }

        Assert.AreEqual(expected, RangeChooser.Mse(histogram, min, max));
        Assert.IsLessThan(max, expected.Item2, "the outliers are not worth their steps");
    }

    [TestMethod]
    public void Entropy_keeps_a_uniform_range_and_clips_rare_outliers()
    {
        var uniform = new Histogram(RangeChooser.HistogramBins, -1, 1);
        uniform.Add(Enumerable.Range(0, 100_000).Select(i => -1 + (2f * i / 99_999)).ToArray());
        var (lo, hi) = RangeChooser.Entropy(uniform);
        Assert.AreEqual(-1f, lo, 1e-6f);
        Assert.AreEqual(1f, hi, 1e-6f);

        var (_, recorded) = Recorded();
        var (_, clipped) = RangeChooser.Entropy(recorded);
        Assert.IsLessThan(recorded.Max / 2, clipped);
        Assert.AreEqual(0, RangeChooser.Divergence([1, 2, 3], [2, 4, 6]), 1e-12);
        Assert.AreEqual(Math.Log(2), RangeChooser.Divergence([1, 0], [1, 1]), 1e-12);
    }
}
