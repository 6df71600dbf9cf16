using Compression.Kernels;

namespace Compression.Kernels.Tests;

[TestClass]
public sealed class RangeKernelsTests
{
    // Independent reference: IEEE 754-2019 minimum/maximum folded left to right.
    private static (float Min, float Max) ReferenceMinMax(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return (0, 0);
        }

        float min = values[0], max = values[0];
        foreach (float v in values)
        {
            min = float.IsNaN(min) || float.IsNaN(v) ? float.NaN : v < min || (v == 0 && min == 0 && float.IsNegative(v)) ? v : min;
            max = float.IsNaN(max) || float.IsNaN(v) ? float.NaN : v > max || (v == 0 && max == 0 && !float.IsNegative(v)) ? v : max;
        }

        return (min, max);
    }

    private static float ReferenceAbsMax(ReadOnlySpan<float> values)
    {
        float max = 0;
        foreach (float v in values)
        {
            max = float.IsNaN(max) || float.IsNaN(v) ? float.NaN : Math.Abs(v) > max ? Math.Abs(v) : max;
        }

        return max;
    }

    // NaN payloads carry no meaning here: any NaN matches any NaN; everything else (including -0) bit for bit.
    private static void AssertBits(float expected, float actual, string message)
    {
        if (float.IsNaN(expected))
        {
            Assert.IsTrue(float.IsNaN(actual), $"{message}: expected NaN, got {actual}");
            return;
        }

        Assert.AreEqual(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual), $"{message}: expected {expected}, got {actual}");
    }

    [TestMethod]
    public void MinMax_and_AbsMax_match_the_reference_for_every_length()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (int length in TestData.Lengths)
            {
                foreach (bool nan in new[] { false, true })
                {
                    float[] values = TestData.Mixed(length, length, nan);
                    var expected = ReferenceMinMax(values);
                    var actual = RangeKernels.MinMax(values, isa);
                    AssertBits(expected.Min, actual.Min, TestData.Describe(isa, length));
                    AssertBits(expected.Max, actual.Max, TestData.Describe(isa, length));
                    AssertBits(ReferenceAbsMax(values), RangeKernels.AbsMax(values, isa), TestData.Describe(isa, length));
                }
            }
        }
    }

    [TestMethod]
    public void A_single_NaN_anywhere_makes_min_and_max_NaN()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (int length in new[] { 1, 5, 16, 17, 64, 100, 257 })
            {
                for (int at = 0; at < length; at += Math.Max(1, length / 7))
                {
                    float[] values = TestData.Gaussian(length, 3);
                    values[at] = float.NaN;
                    var (min, max) = RangeKernels.MinMax(values, isa);
                    Assert.IsTrue(float.IsNaN(min) && float.IsNaN(max), $"{TestData.Describe(isa, length)}, NaN at {at}");
                    Assert.IsTrue(float.IsNaN(RangeKernels.AbsMax(values, isa)));
                }
            }
        }
    }

    [TestMethod]
    public void Signed_zeros_order_minus_zero_first_in_any_position()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (int length in new[] { 2, 16, 33, 64, 129 })
            {
                float[] values = new float[length];
                values[length - 1] = -0f;
                var (min, max) = RangeKernels.MinMax(values, isa);
                Assert.IsTrue(float.IsNegative(min), "min of {+0, -0} is -0");
                Assert.IsFalse(float.IsNegative(max), "max of {+0, -0} is +0");
            }
        }
    }

    [TestMethod]
    public void Empty_and_constant_tensors()
    {
        Assert.AreEqual((0f, 0f), RangeKernels.MinMax([]));
        Assert.AreEqual(0f, RangeKernels.AbsMax([]));
        float[] same = Enumerable.Repeat(-3.25f, 1000).ToArray();
        Assert.AreEqual((-3.25f, -3.25f), RangeKernels.MinMax(same));
        Assert.AreEqual(3.25f, RangeKernels.AbsMax(same));
        Assert.AreEqual((float.NegativeInfinity, float.PositiveInfinity), RangeKernels.MinMax([1, float.PositiveInfinity, float.NegativeInfinity]));
    }

    [TestMethod]
    public void Per_channel_ranges_match_the_reference_on_every_axis()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (var (outer, channels, inner) in new[] { (1, 1, 1), (1, 7, 1), (3, 5, 1), (64, 33, 1), (1, 5, 37), (4, 3, 70), (2, 130, 3), (0, 4, 3), (2, 3, 0) })
            {
                float[] values = TestData.Mixed(outer * channels * inner, channels, withNaN: channels % 2 == 1);
                var min = new float[channels];
                var max = new float[channels];
                var abs = new float[channels];
                RangeKernels.MinMaxPerChannel(values, outer, channels, inner, min, max, isa);
                RangeKernels.AbsMaxPerChannel(values, outer, channels, inner, abs, isa);
                for (int c = 0; c < channels; c++)
                {
                    var group = new List<float>();
                    for (int o = 0; o < outer; o++)
                    {
                        for (int i = 0; i < inner; i++)
                        {
                            group.Add(values[(((o * channels) + c) * inner) + i]);
                        }
                    }

                    var expected = ReferenceMinMax(group.ToArray());
                    string message = $"{isa} [{outer},{channels},{inner}] channel {c}";
                    AssertBits(expected.Min, min[c], message);
                    AssertBits(expected.Max, max[c], message);
                    AssertBits(ReferenceAbsMax(group.ToArray()), abs[c], message);
                }
            }
        }
    }

    [TestMethod]
    public void Per_block_ranges_match_the_reference_with_short_last_blocks()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (var (outer, axis, inner, block) in new[] { (1, 256, 1, 16), (3, 100, 1, 32), (5, 33, 1, 16), (2, 70, 3, 16), (1, 300, 7, 128), (4, 17, 1, 256), (1, 64, 40, 32) })
            {
                float[] values = TestData.Mixed(outer * axis * inner, axis + inner, withNaN: axis % 2 == 1);
                int blocks = RangeKernels.BlockCount(axis, block);
                var min = new float[outer * blocks * inner];
                var max = new float[min.Length];
                var abs = new float[min.Length];
                RangeKernels.MinMaxPerBlock(values, outer, axis, inner, block, min, max, isa);
                RangeKernels.AbsMaxPerBlock(values, outer, axis, inner, block, abs, isa);
                for (int o = 0; o < outer; o++)
                {
                    for (int b = 0; b < blocks; b++)
                    {
                        for (int i = 0; i < inner; i++)
                        {
                            var group = new List<float>();
                            for (int a = b * block; a < Math.Min(axis, (b + 1) * block); a++)
                            {
                                group.Add(values[(((o * axis) + a) * inner) + i]);
                            }

                            int p = (((o * blocks) + b) * inner) + i;
                            var expected = ReferenceMinMax(group.ToArray());
                            string message = $"{isa} [{outer},{axis},{inner}] block {block} at {p}";
                            AssertBits(expected.Min, min[p], message);
                            AssertBits(expected.Max, max[p], message);
                            AssertBits(ReferenceAbsMax(group.ToArray()), abs[p], message);
                        }
                    }
                }
            }
        }
    }

    [TestMethod]
    public void Parallel_range_is_identical_to_serial_on_large_tensors()
    {
        float[] values = TestData.Gaussian(5_000_003, 11);
        values[4_321_987] = 123.5f;
        values[17] = -99f;
        Assert.AreEqual(RangeKernels.MinMax(values), RangeKernels.MinMaxParallel(values));
        Assert.AreEqual((-99f, 123.5f), RangeKernels.MinMaxParallel(values));
        Assert.AreEqual(RangeKernels.AbsMax(values), RangeKernels.AbsMaxParallel(values));
        values[2_500_000] = float.NaN;
        Assert.IsTrue(float.IsNaN(RangeKernels.MinMaxParallel(values).Min));
    }

    [TestMethod]
    public void Shape_errors_are_reported()
    {
        Assert.ThrowsExactly<ArgumentException>(() => RangeKernels.MinMaxPerChannel(new float[10], 2, 3, 2, new float[3], new float[3]));
        Assert.ThrowsExactly<ArgumentException>(() => RangeKernels.MinMaxPerChannel(new float[12], 2, 3, 2, new float[2], new float[3]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => RangeKernels.BlockCount(10, 0));
    }
}
