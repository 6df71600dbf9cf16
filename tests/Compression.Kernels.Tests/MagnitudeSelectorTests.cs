using Compression.Kernels;

namespace Compression.Kernels.Tests;

[TestClass]
public sealed class MagnitudeSelectorTests
{
    /// <summary>Reference by full sort: order by |w| (NaN last), then by position; the first count are pruned.</summary>
    private static bool[] ReferencePruned(IReadOnlyList<float[]> tensors, long count)
    {
        var all = tensors.SelectMany((t, ti) => t.Select((v, i) => (Key: MagnitudeSelector.Key(v), Tensor: ti, Index: i))).ToList();
        var order = all.OrderBy(e => e.Key).ThenBy(e => e.Tensor).ThenBy(e => e.Index).Take((int)count).ToHashSet();
        return all.Select(e => order.Contains(e)).ToArray();
    }

    [TestMethod]
    public void Threshold_prunes_exactly_the_k_smallest_with_ties_in_index_order()
    {
        var random = new Random(4);
        foreach (int length in new[] { 1, 2, 7, 64, 257, 5000 })
        {
            // Coarse values give many ties; NaN and -0 mixed in.
            float[] values = Enumerable.Range(0, length).Select(_ => random.Next(10) == 0 ? float.NaN : MathF.Round((float)(random.NextDouble() * 8) - 4) * (random.Next(2) == 0 ? -1 : 1)).ToArray();
            foreach (long count in new long[] { 0, 1, length / 3, length / 2, length - 1, length })
            {
                var mask = new byte[length];
                var threshold = MagnitudeSelector.Threshold(values, count);
                MagnitudeSelector.BuildMask(values, threshold, mask);
                bool[] expected = ReferencePruned([values], count);
                for (int i = 0; i < length; i++)
                {
                    Assert.AreEqual(expected[i], mask[i] == 0, $"length {length} count {count} at {i} (|w|={Math.Abs(values[i])})");
                }

                float[] copy = (float[])values.Clone();
                MagnitudeSelector.PruneSmallest(copy, count);
                for (int i = 0; i < length; i++)
                {
                    Assert.AreEqual(expected[i] ? 0f : values[i], copy[i]);
                }
            }
        }
    }

    [TestMethod]
    public void Threshold_of_distinct_values_is_the_kth_smallest_magnitude()
    {
        float[] values = TestData.Gaussian(100_001, 2);
        float[] sorted = values.Select(Math.Abs).Order().ToArray();
        foreach (long count in new long[] { 1, 10, 50_000, 99_999, 100_001 })
        {
            var t = MagnitudeSelector.Threshold(values, count);
            Assert.AreEqual(sorted[count - 1], t.Magnitude);
            Assert.AreEqual(1, t.TiesToPrune);
        }
    }

    [TestMethod]
    public void Global_threshold_spans_tensors_and_prunes_exactly_count()
    {
        float[][] tensors = [TestData.Gaussian(1000, 1, 0.1f), TestData.Gaussian(10, 2, 5f), [0f, -0f, 0f], TestData.Gaussian(3000, 3, 1f)];
        long count = 2000;
        bool[] expected = ReferencePruned(tensors, count);
        var copies = tensors.Select(t => (float[])t.Clone()).ToArray();
        MagnitudeSelector.PruneSmallestGlobal(copies.Select(c => new Memory<float>(c)).ToArray(), count);
        int flat = 0;
        long pruned = 0;
        for (int t = 0; t < tensors.Length; t++)
        {
            for (int i = 0; i < tensors[t].Length; i++, flat++)
            {
                Assert.AreEqual(expected[flat] ? 0f : tensors[t][i], copies[t][i], $"tensor {t} index {i}");
                pruned += expected[flat] ? 1 : 0;
            }
        }

        Assert.AreEqual(count, pruned);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MagnitudeSelector.Threshold(tensors.Select(t => new ReadOnlyMemory<float>(t)).ToArray(), 5000));
    }

    [TestMethod]
    public void NM_mask_keeps_the_n_largest_of_every_group_along_the_input_axis()
    {
        // MatMul weight [K=8, N=3]: groups of 4 along K for each column.
        float[] w =
        [
            1, -9, 0,
            -5, 2, 0,
            3, 8, 0,
            0.5f, -7, 0,
            4, 1, 6,
            4, 2, 6,
            -4, 3, 6,
            0, 4, 6,
        ];
        var mask = new byte[w.Length];
        MagnitudeSelector.NMMask(w, 1, 8, 3, 2, 4, mask);
        // Ties keep the later element (the earlier one is pruned first, as in magnitude pruning).
        byte[] expected =
        [
            0, 1, 0,
            1, 0, 0,
            1, 1, 1,
            0, 0, 1,
            0, 0, 0,
            1, 0, 0,
            1, 1, 1,
            0, 1, 1,
        ];
        CollectionAssert.AreEqual(expected, mask);

        // Every group of a random Conv-like weight [O=5, I=12, 3] keeps exactly 2 of 4.
        float[] conv = TestData.Gaussian(5 * 12 * 3, 5);
        var convMask = new byte[conv.Length];
        MagnitudeSelector.NMMask(conv, 5, 12, 3, 2, 4, convMask);
        for (int o = 0; o < 5; o++)
        {
            for (int g = 0; g < 3; g++)
            {
                for (int i = 0; i < 3; i++)
                {
                    int kept = Enumerable.Range(0, 4).Sum(a => convMask[(((o * 12) + (g * 4) + a) * 3) + i]);
                    Assert.AreEqual(2, kept);
                    float smallestKept = Enumerable.Range(0, 4).Where(a => convMask[(((o * 12) + (g * 4) + a) * 3) + i] == 1).Min(a => Math.Abs(conv[(((o * 12) + (g * 4) + a) * 3) + i]));
                    float largestPruned = Enumerable.Range(0, 4).Where(a => convMask[(((o * 12) + (g * 4) + a) * 3) + i] == 0).Max(a => Math.Abs(conv[(((o * 12) + (g * 4) + a) * 3) + i]));
                    Assert.IsGreaterThanOrEqualTo(largestPruned, smallestKept);
                }
            }
        }

        float[] values = [1, 2, 3, 4, 5];
        MagnitudeSelector.ApplyMask(values, [1, 0, 1, 0, 1]);
        CollectionAssert.AreEqual(new float[] { 1, 0, 3, 0, 5 }, values);
        var shortMask = new byte[6];
        MagnitudeSelector.NMMask([1f, 2f, 3f, 4f, 5f, 6f], 1, 6, 1, 2, 4, shortMask);
        CollectionAssert.AreEqual(new byte[] { 0, 0, 1, 1, 1, 1 }, shortMask, "a short last group keeps min(n, length)");
    }

    [TestMethod]
    public void NM_mask_vector_paths_match_the_scalar_ranking()
    {
        var random = new Random(8);
        foreach (var (outer, axis, inner, n, m) in new[] { (1, 64, 37, 2, 4), (3, 10, 16, 2, 4), (2, 24, 5, 1, 8), (1, 7, 100, 3, 4), (2, 16, 9, 4, 8), (1, 8, 33, 0, 4) })
        {
            // Coarse values for many ties, plus NaN and -0.
            float[] values = Enumerable.Range(0, outer * axis * inner).Select(_ => random.Next(12) switch
            {
                0 => float.NaN,
                1 => -0f,
                _ => (random.Next(7) - 3) * 0.5f,
            }).ToArray();
            var expected = new byte[values.Length];
            MagnitudeSelector.NMMask(values, outer, axis, inner, n, m, expected, KernelIsa.Scalar);
            foreach (KernelIsa isa in TestData.VectorIsas)
            {
                var actual = new byte[values.Length];
                MagnitudeSelector.NMMask(values, outer, axis, inner, n, m, actual, isa);
                CollectionAssert.AreEqual(expected, actual, $"{isa} [{outer},{axis},{inner}] {n}:{m}");
            }
        }
    }

    [TestMethod]
    public void Channel_norms_match_double_precision_sums_on_every_axis()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        foreach (var (outer, channels, inner) in new[] { (1, 8, 100), (100, 8, 1), (3, 5, 7), (1, 1, 65_537), (7, 77, 1) })
        {
            float[] w = TestData.Gaussian(outer * channels * inner, channels);
            var l1 = new float[channels];
            var l2 = new float[channels];
            ChannelNorms.Compute(w, outer, channels, inner, l1, squared: false, isa);
            ChannelNorms.Compute(w, outer, channels, inner, l2, squared: true, isa);
            for (int c = 0; c < channels; c++)
            {
                double s1 = 0, s2 = 0;
                for (int o = 0; o < outer; o++)
                {
                    for (int i = 0; i < inner; i++)
                    {
                        double v = w[(((o * channels) + c) * inner) + i];
                        s1 += Math.Abs(v);
                        s2 += v * v;
                    }
                }

                Assert.AreEqual((float)s1, l1[c], (float)s1 * 1e-6f);
                Assert.AreEqual((float)Math.Sqrt(s2), l2[c], (float)Math.Sqrt(s2) * 1e-6f);
            }
        }
    }
}
