using Compression.Kernels;

namespace Compression.Kernels.Tests;

[TestClass]
public sealed class BlockQuantizer4BitTests
{
    /// <summary>
    /// Reference written from MLAS's blockwise quantizer description (q4_dq.cpp): column-major blocks of B[K, N],
    /// range2scale / range2scalezp, clamp(roundf(v * (1/scale) + zp), 0, 15), low nibble first.
    /// </summary>
    private static (byte[] Packed, float[] Scales, byte[] ZeroPoints) Reference(float[] b, int k, int n, int block, bool symmetric)
    {
        int blocks = (k + block - 1) / block;
        var packed = new byte[n * blocks * block / 2];
        var scales = new float[n * blocks];
        var zps = symmetric ? [] : new byte[n * ((blocks + 1) / 2)];
        for (int col = 0; col < n; col++)
        {
            for (int kb = 0; kb < blocks; kb++)
            {
                int start = kb * block, end = Math.Min(k, start + block);
                float min = float.MaxValue, max = -float.MaxValue;
                for (int r = start; r < end; r++)
                {
                    // MLAS: `if (v < min) min = v;`, so NaN never enters the range.
                    float v = b[(r * n) + col];
                    min = v < min ? v : min;
                    max = v > max ? v : max;
                }

                float scale;
                int zp = 8;
                if (symmetric)
                {
                    float m = Math.Abs(max) > Math.Abs(min) ? max : min;
                    scale = m / -8f;
                }
                else
                {
                    // std::min(min, 0.0f) and std::max(max, 0.0f): the first argument wins a tie of zeros.
                    min = 0f < min ? 0f : min;
                    max = max < 0f ? 0f : max;
                    scale = (max - min) / 15f;
                    float zf = scale != 0 ? 0f - (min / scale) : min;
                    zp = zf < 0 ? 0 : zf > 15 ? 15 : (int)MathF.Round(zf, MidpointRounding.AwayFromZero);
                    zps[(col * ((blocks + 1) / 2)) + (kb / 2)] |= (byte)(zp << (4 * (kb % 2)));
                }

                scales[(col * blocks) + kb] = scale;
                float reciprocal = scale != 0 ? 1f / scale : 0f;
                for (int r = start; r < end; r++)
                {
                    float v = (b[(r * n) + col] * reciprocal) + zp;
                    int q = float.IsNaN(v) ? zp : (int)Math.Clamp(MathF.Round(v, MidpointRounding.AwayFromZero), 0, 15);
                    int idx = r - start;
                    packed[(((col * blocks) + kb) * block / 2) + (idx / 2)] |= (byte)(q << (4 * (idx % 2)));
                }
            }
        }

        return (packed, scales, zps);
    }

    private static readonly (int K, int N, int Block)[] Shapes = [(32, 1, 32), (100, 3, 32), (256, 17, 16), (256, 5, 64), (300, 9, 128), (64, 64, 256), (17, 2, 16), (1024, 33, 32)];

    [TestMethod]
    public void MatMulNBits_layout_matches_the_MLAS_reference_bit_for_bit()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (var (k, n, block) in Shapes)
            {
                foreach (bool symmetric in new[] { true, false })
                {
                    float[] b = TestData.GaussianWithOutliers(k * n, k + n);
                    if (n > 2)
                    {
                        // Edge values: halfway points of the MLAS rounding, a NaN, zeros, an all-zero column.
                        b[0] = float.NaN;
                        b[n + 1] = -0f;
                        for (int r = 0; r < k; r++)
                        {
                            b[(r * n) + 2] = 0f;
                        }
                    }

                    int blocks = (k + block - 1) / block;
                    var packed = new byte[n * blocks * block / 2];
                    var scales = new float[n * blocks];
                    var zps = symmetric ? [] : new byte[n * ((blocks + 1) / 2)];
                    MatMulNBitsKernels.Quantize(b, k, n, block, symmetric, packed, scales, zps, BlockScaleRule.MinMax, isa);
                    var expected = Reference(b, k, n, block, symmetric);
                    string shape = $"{isa} K={k} N={n} block={block} symmetric={symmetric}";
                    CollectionAssert.AreEqual(expected.Scales, scales, shape);
                    CollectionAssert.AreEqual(expected.Packed, packed, shape);
                    CollectionAssert.AreEqual(expected.ZeroPoints, zps, shape);
                }
            }
        }
    }

    [TestMethod]
    public void Vector_rounding_matches_roundf_at_every_halfway_point()
    {
        // x * (1/scale) + zp lands exactly on .5 for these: MLAS's roundf rounds them away from zero.
        // Range [-7, 8]: scale 1, zero point 7, so x = -6.5, -5.5, ... give v = 0.5, 1.5, ... exactly.
        float[] column = Enumerable.Range(0, 32).Select(i => -7f + (i * 0.5f)).ToArray();
        column[31] = 8f;
        Assert.AreEqual(1f, MlasBlockRule.ScaleAndZeroPoint(-7f, 8f, symmetric: false).Scale);
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            // 64 identical columns so every vector width runs its main loop.
            float[] b = new float[32 * 64];
            for (int r = 0; r < 32; r++)
            {
                b.AsSpan(r * 64, 64).Fill(column[r]);
            }

            var packed = new byte[64 * 16];
            var scales = new float[64];
            var zps = new byte[64];
            MatMulNBitsKernels.Quantize(b, 32, 64, 32, false, packed, scales, zps, BlockScaleRule.MinMax, isa);
            var expected = Reference(b, 32, 64, 32, false);
            CollectionAssert.AreEqual(expected.Packed, packed, isa.ToString());
            CollectionAssert.AreEqual(expected.ZeroPoints, zps, isa.ToString());
        }
    }

    [TestMethod]
    public void MatMulNBits_round_trip_error_is_within_half_a_step()
    {
        foreach (var (k, n, block) in Shapes)
        {
            foreach (bool symmetric in new[] { true, false })
            {
                float[] b = TestData.Gaussian(k * n, 7);
                int blocks = (k + block - 1) / block;
                var packed = new byte[n * blocks * block / 2];
                var scales = new float[n * blocks];
                var zps = symmetric ? [] : new byte[n * ((blocks + 1) / 2)];
                BlockQuantizer4Bit.QuantizeMatMulNBits(b, k, n, block, symmetric, packed, scales, zps);
                var back = new float[b.Length];
                BlockQuantizer4Bit.DequantizeMatMulNBits(packed, scales, zps, k, n, block, back);
                for (int r = 0; r < k; r++)
                {
                    for (int c = 0; c < n; c++)
                    {
                        float step = Math.Abs(scales[(c * blocks) + (r / block)]);
                        float error = Math.Abs(back[(r * n) + c] - b[(r * n) + c]);

                        // Symmetric blocks map the largest magnitude to -8 and so can clip the other side at +7 (one step).
                        float allowed = symmetric ? step * 1.0001f : step * 0.5001f;
                        Assert.IsLessThanOrEqualTo(allowed + 1e-7f, error, $"K={k} N={n} block={block} symmetric={symmetric} at ({r},{c})");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void MatMulNBits_dequantize_paths_agree_bit_for_bit()
    {
        foreach (var (k, n, block) in Shapes)
        {
            foreach (bool symmetric in new[] { true, false })
            {
                float[] b = TestData.GaussianWithOutliers(k * n, k * n);
                int blocks = (k + block - 1) / block;
                var packed = new byte[n * blocks * block / 2];
                var scales = new float[n * blocks];
                var zps = symmetric ? [] : new byte[n * ((blocks + 1) / 2)];
                BlockQuantizer4Bit.QuantizeMatMulNBits(b, k, n, block, symmetric, packed, scales, zps);
                var reference = new float[b.Length];
                MatMulNBitsKernels.Dequantize(packed, scales, zps, k, n, block, reference, KernelIsa.Scalar);
                foreach (KernelIsa isa in TestData.VectorIsas)
                {
                    var actual = new float[b.Length];
                    MatMulNBitsKernels.Dequantize(packed, scales, zps, k, n, block, actual, isa);
                    CollectionAssert.AreEqual(reference, actual, $"{isa} K={k} N={n} block={block} symmetric={symmetric}");
                }
            }
        }
    }

    [TestMethod]
    public void Parallel_MatMulNBits_is_identical_to_serial()
    {
        const int K = 4136, N = 520, Block = 32;
        float[] b = TestData.GaussianWithOutliers(K * N, 77);
        int blocks = (K + Block - 1) / Block;
        foreach (bool symmetric in new[] { true, false })
        {
            var packed = new byte[N * blocks * Block / 2];
            var scales = new float[N * blocks];
            var zps = symmetric ? [] : new byte[N * ((blocks + 1) / 2)];
            var packed2 = new byte[packed.Length];
            var scales2 = new float[scales.Length];
            var zps2 = new byte[zps.Length];
            BlockQuantizer4Bit.QuantizeMatMulNBits(b, K, N, Block, symmetric, packed, scales, zps);
            BlockQuantizer4Bit.QuantizeMatMulNBitsParallel(b, K, N, Block, symmetric, packed2, scales2, zps2);
            Assert.IsTrue(packed.AsSpan().SequenceEqual(packed2));
            Assert.IsTrue(scales.AsSpan().SequenceEqual(scales2));
            Assert.IsTrue(zps.AsSpan().SequenceEqual(zps2));
        }
    }

    [TestMethod]
    public void Padding_past_K_is_zero_and_symmetric_writes_no_zero_points()
    {
        float[] b = TestData.Gaussian(40 * 2, 1);
        var packed = new byte[2 * 2 * 16];
        var scales = new float[4];
        BlockQuantizer4Bit.QuantizeMatMulNBits(b, 40, 2, 32, symmetric: true, packed, scales, []);
        for (int col = 0; col < 2; col++)
        {
            // Second block holds K rows 32..39: bytes 4..15 of it are padding.
            for (int i = 4; i < 16; i++)
            {
                Assert.AreEqual(0, packed[(((col * 2) + 1) * 16) + i]);
            }
        }

        Assert.ThrowsExactly<ArgumentException>(() => BlockQuantizer4Bit.QuantizeMatMulNBits(b, 40, 2, 32, symmetric: true, packed, scales, new byte[2]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => BlockQuantizer4Bit.QuantizeMatMulNBits(b, 40, 2, 24, symmetric: true, packed, scales, []));
    }

    [TestMethod]
    public void Clip_search_never_increases_and_usually_reduces_the_error()
    {
        const int K = 4096, N = 64, Block = 32;
        float[] b = TestData.GaussianWithOutliers(K * N, 21);
        foreach (bool symmetric in new[] { true, false })
        {
            double minMaxError = RoundTripError(b, K, N, Block, symmetric, BlockScaleRule.MinMax);
            double searchError = RoundTripError(b, K, N, Block, symmetric, BlockScaleRule.ClipSearch);
            Console.WriteLine($"Gaussian+outliers K={K} N={N} block {Block} symmetric={symmetric}: MSE {minMaxError:E3} -> {searchError:E3} ({100 * (1 - (searchError / minMaxError)):F1}% less)");
            Assert.IsLessThan(minMaxError * 0.97, searchError, "clip search should remove a visible part of the error on outlier-heavy weights");
        }

        // Per block, the search keeps ratio 1 unless a candidate is strictly better.
        Span<float> block = stackalloc float[Block];
        for (int i = 0; i < 200; i++)
        {
            b.AsSpan(i * Block, Block).CopyTo(block);
            foreach (bool symmetric in new[] { true, false })
            {
                var plain = MatMulNBitsKernels.Parameters(block, symmetric, 1f);
                var searched = MatMulNBitsKernels.SearchParameters(block, symmetric);
                Assert.IsLessThanOrEqualTo(MatMulNBitsKernels.BlockError(block, plain.Scale, plain.ZeroPoint), MatMulNBitsKernels.BlockError(block, searched.Scale, searched.ZeroPoint));
            }
        }
    }

    [TestMethod]
    public void Clip_search_picks_the_same_parameters_on_every_path()
    {
        foreach (var (k, n, block) in new[] { (256, 40, 32), (100, 17, 64), (64, 3, 16) })
        {
            float[] b = TestData.GaussianWithOutliers(k * n, 99);
            b[5] = float.NaN;
            int blocks = (k + block - 1) / block;
            foreach (bool symmetric in new[] { true, false })
            {
                byte[]? expectedPacked = null;
                float[]? expectedScales = null;
                foreach (KernelIsa isa in KernelIsaSelector.Supported)
                {
                    var packed = new byte[n * blocks * block / 2];
                    var scales = new float[n * blocks];
                    var zps = symmetric ? [] : new byte[n * ((blocks + 1) / 2)];
                    MatMulNBitsKernels.Quantize(b, k, n, block, symmetric, packed, scales, zps, BlockScaleRule.ClipSearch, isa);
                    expectedPacked ??= packed;
                    expectedScales ??= scales;
                    CollectionAssert.AreEqual(expectedScales, scales, $"{isa} K={k} N={n} symmetric={symmetric}");
                    CollectionAssert.AreEqual(expectedPacked, packed, $"{isa} K={k} N={n} symmetric={symmetric}");
                }
            }
        }
    }

    private static double RoundTripError(float[] b, int k, int n, int block, bool symmetric, BlockScaleRule rule)
    {
        int blocks = (k + block - 1) / block;
        var packed = new byte[n * blocks * block / 2];
        var scales = new float[n * blocks];
        var zps = symmetric ? [] : new byte[n * ((blocks + 1) / 2)];
        BlockQuantizer4Bit.QuantizeMatMulNBits(b, k, n, block, symmetric, packed, scales, zps, rule);
        var back = new float[b.Length];
        BlockQuantizer4Bit.DequantizeMatMulNBits(packed, scales, zps, k, n, block, back);
        return ErrorMetrics.Compare(b, back).MeanSquaredError;
    }

    [TestMethod]
    public void Opset21_int4_follows_QuantizeLinear_and_packs_low_nibble_first()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        foreach (var (outer, axis, inner, block) in new[] { (1, 33, 1, 33), (2, 64, 1, 32), (3, 20, 7, 16), (1, 5, 3, 2), (1, 301, 1, 301), (4, 200, 1, 64) })
        {
            float[] values = TestData.Mixed(outer * axis * inner, axis, withNaN: true);
            int blocks = RangeKernels.BlockCount(axis, block);
            int count = outer * blocks * inner;
            float[] scales = Enumerable.Range(0, count).Select(p => 0.5f + (p % 5)).ToArray();
            int[] zps = Enumerable.Range(0, count).Select(p => (p % 5) - 2).ToArray();
            int[] uzps = zps.Select(z => z + 8).ToArray();
            var packed = new byte[BlockQuantizer4Bit.PackedLength(values.Length)];
            var upacked = new byte[packed.Length];
            Int4Kernels.Quantize(values, outer, axis, inner, block, scales, zps, packed, signed: true, isa);
            Int4Kernels.Quantize(values, outer, axis, inner, block, scales, uzps, upacked, signed: false, isa);
            var back = new float[values.Length];
            Int4Kernels.Dequantize(packed, outer, axis, inner, block, scales, zps, back, signed: true, isa);
            var uback = new float[values.Length];
            Int4Kernels.Dequantize(upacked, outer, axis, inner, block, scales, uzps, uback, signed: false, isa);
            for (int idx = 0; idx < values.Length; idx++)
            {
                int o = idx / (axis * inner), a = idx / inner % axis, i = idx % inner;
                int p = (((o * blocks) + (a / block)) * inner) + i;
                float x = values[idx] / scales[p];
                int expected = float.IsNaN(x) ? zps[p] : (int)Math.Clamp(Math.Round((double)x, MidpointRounding.ToEven) + zps[p], -8, 7);
                int expectedU = float.IsNaN(x) ? uzps[p] : (int)Math.Clamp(Math.Round((double)x, MidpointRounding.ToEven) + uzps[p], 0, 15);
                int nibble = (packed[idx / 2] >> (4 * (idx % 2))) & 0xF;
                Assert.AreEqual(expected, (nibble ^ 8) - 8, $"int4 [{outer},{axis},{inner}]/{block} at {idx}");
                Assert.AreEqual(expectedU, (upacked[idx / 2] >> (4 * (idx % 2))) & 0xF, $"uint4 at {idx}");
                Assert.AreEqual((expected - zps[p]) * scales[p], back[idx]);
                Assert.AreEqual((expectedU - uzps[p]) * scales[p], uback[idx]);
            }

            if (values.Length % 2 == 1)
            {
                Assert.AreEqual(0, packed[^1] >> 4, "the unused high nibble of an odd count is 0");
            }
        }
    }

    [TestMethod]
    public void Nibble_packing_matches_the_scalar_layout_on_every_path_and_length()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (int length in TestData.Lengths)
            {
                byte[] values = Enumerable.Range(0, length).Select(i => (byte)((i * 7) + (i / 16))).ToArray();
                var packed = new byte[BlockQuantizer4Bit.PackedLength(length)];
                Nibbles.Pack(values, packed, isa);
                for (int i = 0; i < length; i++)
                {
                    Assert.AreEqual(values[i] & 0xF, (packed[i / 2] >> (4 * (i % 2))) & 0xF, TestData.Describe(isa, length));
                }

                var unsigned = new byte[length];
                var signed = new byte[length];
                Nibbles.Unpack(packed, unsigned, signed: false, isa);
                Nibbles.Unpack(packed, signed, signed: true, isa);
                for (int i = 0; i < length; i++)
                {
                    Assert.AreEqual(values[i] & 0xF, unsigned[i]);
                    Assert.AreEqual(((values[i] & 0xF) ^ 8) - 8, (sbyte)signed[i]);
                }
            }
        }
    }

    [TestMethod]
    public void Empty_zero_points_mean_zero()
    {
        float[] values = TestData.Gaussian(64, 3);
        float[] scales = [0.1f, 0.2f];
        var a = new byte[32];
        var b = new byte[32];
        BlockQuantizer4Bit.QuantizeInt4(values, 1, 64, 1, 32, scales, [], a);
        BlockQuantizer4Bit.QuantizeInt4(values, 1, 64, 1, 32, scales, [0, 0], b);
        CollectionAssert.AreEqual(b, a);
        var back = new float[64];
        BlockQuantizer4Bit.DequantizeInt4(a, 1, 64, 1, 32, scales, [], back);
        for (int i = 0; i < 64; i++)
        {
            float scale = scales[i / 32];
            Assert.AreEqual((float)Math.Clamp(Math.Round(values[i] / scale, MidpointRounding.ToEven), -8, 7) * scale, back[i]);
        }
    }

    [TestMethod]
    public void Pack_and_unpack_round_trip_and_reject_out_of_range_values()
    {
        sbyte[] signed = Enumerable.Range(0, 33).Select(i => (sbyte)((i % 16) - 8)).ToArray();
        var packed = new byte[17];
        BlockQuantizer4Bit.PackInt4(signed, packed);
        Assert.AreEqual(0x98, packed[0], "-8 then -7: low nibble 0x8, high nibble 0x9");
        var back = new sbyte[33];
        BlockQuantizer4Bit.UnpackInt4(packed, back);
        CollectionAssert.AreEqual(signed, back);

        byte[] unsigned = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var upacked = new byte[8];
        BlockQuantizer4Bit.PackUInt4(unsigned, upacked);
        Assert.AreEqual(0x10, upacked[0]);
        var uback = new byte[16];
        BlockQuantizer4Bit.UnpackUInt4(upacked, uback);
        CollectionAssert.AreEqual(unsigned, uback);

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => BlockQuantizer4Bit.PackInt4([8], new byte[1]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => BlockQuantizer4Bit.PackUInt4([16], new byte[1]));
    }
}
