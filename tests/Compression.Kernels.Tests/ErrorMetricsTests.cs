using Compression.Kernels;

namespace Compression.Kernels.Tests;

[TestClass]
public sealed class ErrorMetricsTests
{
    [TestMethod]
    public void Metrics_match_a_double_precision_reference_on_every_path()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (int length in TestData.Lengths.Where(l => l > 0))
            {
                float[] r = TestData.Gaussian(length, length);
                float[] a = r.Select((v, i) => v + (0.01f * MathF.Sin(i))).ToArray();
                double max = 0, se = 0, sr = 0, sa = 0, dot = 0;
                for (int i = 0; i < length; i++)
                {
                    double d = (double)r[i] - a[i];
                    max = Math.Max(max, Math.Abs(d));
                    se += d * d;
                    sr += (double)r[i] * r[i];
                    sa += (double)a[i] * a[i];
                    dot += (double)r[i] * a[i];
                }

                var s = ErrorMetrics.Compare(r, a, isa);
                string message = TestData.Describe(isa, length);
                Assert.AreEqual(length, s.Count);
                Assert.AreEqual(max, s.MaxAbsoluteError, message);
                Assert.AreEqual(se / length, s.MeanSquaredError, 1e-12 * Math.Max(1, se), message);
                if (se > 0)
                {
                    Assert.AreEqual(10 * Math.Log10(sr / se), s.SqnrDecibels, 1e-9, message);
                }

                Assert.AreEqual(dot / Math.Sqrt(sr * sa), s.CosineSimilarity, 1e-12, message);
            }
        }
    }

    [TestMethod]
    public void Known_values_and_special_cases()
    {
        var s = ErrorMetrics.Compare([1f, 2f, 3f, 4f], [1f, 2f, 3f, 2f]);
        Assert.AreEqual(2.0, s.MaxAbsoluteError);
        Assert.AreEqual(1.0, s.MeanSquaredError);
        Assert.AreEqual(10 * Math.Log10(30.0 / 4.0), s.SqnrDecibels, 1e-12);
        Assert.AreEqual(22.0 / Math.Sqrt(30.0 * 18.0), s.CosineSimilarity, 1e-12);

        var same = ErrorMetrics.Compare([1f, -2f], [1f, -2f]);
        Assert.AreEqual(double.PositiveInfinity, same.SqnrDecibels);
        Assert.AreEqual(1.0, same.CosineSimilarity, 1e-15);
        Assert.AreEqual(1.0, ErrorMetrics.Compare([0f, 0f], [0f, 0f]).CosineSimilarity);
        Assert.AreEqual(0.0, ErrorMetrics.Compare([0f, 0f], [1f, 0f]).CosineSimilarity);
        Assert.AreEqual(0, ErrorMetrics.Compare([], []).Count);
        Assert.IsTrue(double.IsNaN(ErrorMetrics.Compare([1f, float.NaN], [1f, 1f]).MeanSquaredError));
        Assert.ThrowsExactly<ArgumentException>(() => ErrorMetrics.Compare([1f], [1f, 2f]));
    }

    [TestMethod]
    public void Parallel_metrics_are_bit_identical_to_serial()
    {
        float[] r = TestData.Gaussian(3_500_001, 1);
        float[] a = TestData.Gaussian(3_500_001, 2);
        Assert.AreEqual(ErrorMetrics.Compare(r, a), ErrorMetrics.CompareParallel(r, a));
    }

    [TestMethod]
    public void Histogram_counts_bins_edges_and_out_of_range_values()
    {
        var h = new Histogram(4, -2f, 2f);
        h.Add([-2f, -1.5f, -1f, 0f, 0.999f, 1f, 2f, 2.5f, -3f, float.NaN, float.PositiveInfinity]);
        CollectionAssert.AreEqual(new long[] { 2, 1, 2, 2 }, h.Counts.ToArray());
        Assert.AreEqual(1, h.Underflow);
        Assert.AreEqual(2, h.Overflow);
        Assert.AreEqual(1, h.NaNCount);
        Assert.AreEqual(7, h.InRangeCount);
        Assert.AreEqual(-1.0, h.BinEdge(1));
        Assert.AreEqual(2.0, h.BinEdge(4));

        var other = new Histogram(4, -2f, 2f);
        other.Add([1.5f]);
        h.Merge(other);
        Assert.AreEqual(3, h.Counts[3]);
        Assert.ThrowsExactly<ArgumentException>(() => h.Merge(new Histogram(5, -2f, 2f)));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Histogram(4, 1f, 1f));
    }

    [TestMethod]
    public void Histogram_matches_a_reference_bin_computation_on_every_path()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (int length in new[] { 0, 1, 15, 17, 100, 1023, 1025, 100_000 })
            {
                float[] values = TestData.Gaussian(length, 3);
                for (int i = 0; i < length; i += 97)
                {
                    values[i] = TestData.EdgeValues[i % TestData.EdgeValues.Length];
                }

                if (length > 50)
                {
                    values[50] = float.NaN;
                    values[49] = 4f;
                    values[48] = -4f;
                }

                var h = new Histogram(2048, -4f, 4f);
                h.Add(values, isa);
                var expected = new long[2048];
                long under = 0, over = 0, nan = 0;
                foreach (float v in values)
                {
                    if (v >= -4f && v <= 4f)
                    {
                        expected[Math.Min(2047, (int)Math.Floor(((double)v + 4.0) / 8.0 * 2048))]++;
                    }
                    else if (v < -4f)
                    {
                        under++;
                    }
                    else if (v > 4f)
                    {
                        over++;
                    }
                    else
                    {
                        nan++;
                    }
                }

                CollectionAssert.AreEqual(expected, h.Counts.ToArray(), TestData.Describe(isa, length));
                Assert.AreEqual(under, h.Underflow);
                Assert.AreEqual(over, h.Overflow);
                Assert.AreEqual(nan, h.NaNCount);
                Assert.AreEqual(values.Length, h.InRangeCount + h.Underflow + h.Overflow + h.NaNCount);
            }
        }
    }
}
