using Compression.Kernels;

namespace Compression.Kernels.Tests;

[TestClass]
public sealed class FloatConverterTests
{
    /// <summary>Floats that exercise every float16 rounding case: a sparse sweep of all bit patterns plus,
    /// for every float16 value, the exact midpoint to its successor and the floats one ulp either side.</summary>
    private static float[] HalfStressValues()
    {
        var list = new List<float>();
        for (long bits = 0; bits <= uint.MaxValue; bits += 4099)
        {
            list.Add(BitConverter.UInt32BitsToSingle((uint)bits));
        }

        for (int h = 0; h < 0x7C00; h++)
        {
            double lo = (double)BitConverter.UInt16BitsToHalf((ushort)h);
            double hi = (double)BitConverter.UInt16BitsToHalf((ushort)(h + 1));
            float mid = (float)((lo + hi) / 2);
            foreach (float v in new[] { mid, MathF.BitDecrement(mid), MathF.BitIncrement(mid), (float)lo })
            {
                list.Add(v);
                list.Add(-v);
            }
        }

        list.AddRange(TestData.EdgeValues);
        list.AddRange([float.NaN, -float.NaN, BitConverter.UInt32BitsToSingle(0x7F800001), BitConverter.UInt32BitsToSingle(0xFFBFFFFF), BitConverter.UInt32BitsToSingle(0x7FC12345)]);
        return [.. list];
    }

    // Independent bfloat16 reference: pick the nearer of the two neighbours in exact double arithmetic, ties to even.
    private static ushort ReferenceBFloat16(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        if (float.IsNaN(x))
        {
            return (ushort)((bits >> 16) | 0x40);
        }

        uint down = bits & 0xFFFF0000u;
        double a = Math.Abs((double)BitConverter.UInt32BitsToSingle(down));
        double v = Math.Abs((double)x);
        double b = (down & 0x7F800000u) == 0x7F000000u && (down & 0x007F0000u) == 0x007F0000u
            ? Math.Pow(2, 128)
            : Math.Abs((double)BitConverter.UInt32BitsToSingle(down + 0x10000u));
        bool up = v - a > b - v || (v - a == b - v && ((down >> 16) & 1) == 1);
        return (ushort)((down >> 16) + (up ? 1u : 0u));
    }

    [TestMethod]
    public void Float16_matches_the_IEEE_conversion_on_every_path()
    {
        float[] values = HalfStressValues();
        var expected = values.Select(v => BitConverter.HalfToUInt16Bits((Half)v)).ToArray();
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            var actual = new ushort[values.Length];
            FloatConverter.ToHalf(values, actual, saturate: false, isa);
            for (int i = 0; i < values.Length; i++)
            {
                Assert.AreEqual(expected[i], actual[i], $"{isa}: {values[i]:R} (0x{BitConverter.SingleToUInt32Bits(values[i]):X8})");
            }
        }
    }

    [TestMethod]
    public void Float16_handles_every_length_and_tail()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (int length in TestData.Lengths)
            {
                float[] values = TestData.Mixed(length, length, withNaN: true);
                var actual = new ushort[length];
                FloatConverter.ToHalf(values, actual, saturate: false, isa);
                for (int i = 0; i < length; i++)
                {
                    Assert.AreEqual(BitConverter.HalfToUInt16Bits((Half)values[i]), actual[i], TestData.Describe(isa, length));
                }
            }
        }
    }

    [TestMethod]
    public void Float16_widening_is_exact_for_all_65536_values()
    {
        ushort[] all = Enumerable.Range(0, 65536).Select(i => (ushort)i).ToArray();
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            var actual = new float[all.Length];
            FloatConverter.FromHalf(all, actual, isa);
            for (int i = 0; i < all.Length; i++)
            {
                float expected = (float)BitConverter.UInt16BitsToHalf(all[i]);
                Assert.AreEqual(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(actual[i]), $"{isa}: 0x{i:X4}");
            }
        }
    }

    [TestMethod]
    public void BFloat16_rounds_to_nearest_even_on_every_path()
    {
        float[] values = HalfStressValues()
            .Concat(Enumerable.Range(0, 5000).Select(i => BitConverter.UInt32BitsToSingle(0x3F808000u + (uint)(i * 0x10000))))
            .Concat([BitConverter.UInt32BitsToSingle(0x7F7F8000), BitConverter.UInt32BitsToSingle(0x7F7F7FFF), BitConverter.UInt32BitsToSingle(0x7F7FFFFF)])
            .ToArray();
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            var actual = new ushort[values.Length];
            FloatConverter.ToBFloat16(values, actual, saturate: false, isa);
            for (int i = 0; i < values.Length; i++)
            {
                Assert.AreEqual(ReferenceBFloat16(values[i]), actual[i], $"{isa}: 0x{BitConverter.SingleToUInt32Bits(values[i]):X8}");
            }
        }
    }

    [TestMethod]
    public void BFloat16_widening_is_exact_for_all_65536_values()
    {
        ushort[] all = Enumerable.Range(0, 65536).Select(i => (ushort)i).ToArray();
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            var actual = new float[all.Length];
            FloatConverter.FromBFloat16(all, actual, isa);
            for (int i = 0; i < all.Length; i++)
            {
                Assert.AreEqual((uint)i << 16, BitConverter.SingleToUInt32Bits(actual[i]), $"{isa}: 0x{i:X4}");
            }
        }
    }

    [TestMethod]
    public void Saturating_variants_clamp_to_the_finite_range_and_keep_NaN()
    {
        float[] x = [1e6f, -1e6f, float.PositiveInfinity, float.NegativeInfinity, 65519f, 65520f, 1f, float.NaN, 3.4e38f, float.MaxValue];
        float[] values = Enumerable.Range(0, 20).SelectMany(_ => x).ToArray();
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            var half = new ushort[values.Length];
            var bf = new ushort[values.Length];
            FloatConverter.ToHalf(values, half, saturate: true, isa);
            FloatConverter.ToBFloat16(values, bf, saturate: true, isa);
            for (int i = 0; i < values.Length; i++)
            {
                float v = values[i];
                Half h = BitConverter.UInt16BitsToHalf(half[i]);
                float b = BitConverter.UInt32BitsToSingle((uint)bf[i] << 16);
                if (float.IsNaN(v))
                {
                    Assert.IsTrue(Half.IsNaN(h) && float.IsNaN(b), isa.ToString());
                    continue;
                }

                Assert.IsTrue(Half.IsFinite(h), $"{isa}: half of {v} is {h}");
                Assert.IsTrue(float.IsFinite(b), $"{isa}: bfloat16 of {v} is {b}");
                Assert.AreEqual(Math.Clamp(v, -65504f, 65504f) == v ? (float)(Half)v : Math.Sign(v) * 65504f, (float)h, $"{isa}: {v}");
                Assert.AreEqual(Math.Abs(v) >= 3.38953139e38f ? Math.Sign(v) * FloatConverter.BFloat16MaxValue : BitConverter.UInt32BitsToSingle((uint)ReferenceBFloat16(v) << 16), b, $"{isa}: {v}");
            }
        }
    }

    [TestMethod]
    public void Non_saturating_conversions_overflow_to_infinity()
    {
        var half = new Half[3];
        FloatConverter.ToHalf([65520f, -1e9f, 65519.99f], half);
        Assert.AreEqual(Half.PositiveInfinity, half[0]);
        Assert.AreEqual(Half.NegativeInfinity, half[1]);
        Assert.AreEqual((Half)65504f, half[2]);
        var bf = new ushort[1];
        FloatConverter.ToBFloat16([float.MaxValue], bf);
        Assert.AreEqual((ushort)0x7F80, bf[0]);
    }

    [TestMethod]
    public void Parallel_conversions_are_identical_to_serial()
    {
        float[] values = TestData.Mixed(2_500_001, 8, withNaN: true);
        var a = new Half[values.Length];
        var b = new Half[values.Length];
        FloatConverter.ToHalf(values, a);
        FloatConverter.ToHalfParallel(values, b);
        Assert.IsTrue(System.Runtime.InteropServices.MemoryMarshal.Cast<Half, ushort>(a.AsSpan()).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.Cast<Half, ushort>(b.AsSpan())));
        var c = new ushort[values.Length];
        var d = new ushort[values.Length];
        FloatConverter.ToBFloat16(values, c);
        FloatConverter.ToBFloat16Parallel(values, d);
        Assert.IsTrue(c.AsSpan().SequenceEqual(d));
    }
}
