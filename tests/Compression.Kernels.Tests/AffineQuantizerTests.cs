using Compression.Kernels;

namespace Compression.Kernels.Tests;

[TestClass]
public sealed class AffineQuantizerTests
{
    // Reference written from the ONNX spec: saturate(round_half_to_even(x / scale) + zero_point), NaN -> zero point.
    private static int Reference(float x, float scale, int zeroPoint, int lo, int hi)
    {
        float q = x / scale;
        if (float.IsNaN(q))
        {
            return zeroPoint;
        }

        double rounded = Math.Round((double)q, MidpointRounding.ToEven) + zeroPoint;
        return (int)Math.Max(lo, Math.Min(hi, rounded));
    }

    [TestMethod]
    public void Every_path_matches_the_reference_for_every_length_and_edge_value()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (int length in TestData.Lengths)
            {
                float[] values = TestData.Mixed(length, length + 100, withNaN: true);
                foreach (var (scale, zp) in new[] { (1f, 0), (0.0371f, -3), (1e-3f, 17), (3.5f, 127) })
                {
                    var int8 = new sbyte[length];
                    AffineQuantizer.Quantize(values, scale, zp, int8, isa);
                    var uint8 = new byte[length];
                    AffineQuantizer.Quantize(values, scale, zp + 128, uint8, isa);
                    for (int i = 0; i < length; i++)
                    {
                        Assert.AreEqual(Reference(values[i], scale, zp, -128, 127), int8[i], $"{TestData.Describe(isa, length)} int8 x={values[i]} at {i}");
                        Assert.AreEqual(Reference(values[i], scale, zp + 128, 0, 255), uint8[i], $"{TestData.Describe(isa, length)} uint8 x={values[i]} at {i}");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void Halfway_points_round_to_even_and_saturate()
    {
        float[] x = [0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 126.5f, 127.5f, -128.5f, -129.5f, 1000f, -1000f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, -0f];
        sbyte[] expected = [0, 2, 2, 0, -2, -2, 126, 127, -128, -128, 127, -128, 127, -128, 0, 0];
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            // Repeat the pattern so every vector width sees it in its main loop and in its tail.
            float[] values = Enumerable.Range(0, 100).SelectMany(_ => x).ToArray();
            var q = new sbyte[values.Length];
            AffineQuantizer.Quantize(values, 1f, 0, q, isa);
            for (int i = 0; i < q.Length; i++)
            {
                Assert.AreEqual(expected[i % x.Length], q[i], $"{isa}: x={values[i]}");
            }

            // uint8 with zero point 128: same levels shifted, NaN -> 128.
            var u = new byte[values.Length];
            AffineQuantizer.Quantize(values, 1f, 128, u, isa);
            for (int i = 0; i < u.Length; i++)
            {
                Assert.AreEqual(Math.Clamp(expected[i % x.Length] + 128 + (x[i % x.Length] >= 127.5f && x[i % x.Length] < 1000 ? 1 : 0), 0, 255), u[i], $"{isa}: uint8 x={values[i]}");
            }
        }
    }

    [TestMethod]
    public void Divides_by_the_scale_rather_than_multiplying_by_its_reciprocal()
    {
        // Find inputs where x / s and x * (1 / s) round to different integers, and check we follow the division.
        float scale = 0.1f;
        var witnesses = new List<float>();
        for (int k = -1200; k < 1200 && witnesses.Count < 64; k++)
        {
            // Walk a few ulps around each halfway point, where the two formulas can disagree.
            float x = (k + 0.5f) * scale;
            for (int step = 0; step < 8; step++)
            {
                x = MathF.BitDecrement(x);
            }

            for (int step = 0; step < 16; step++, x = MathF.BitIncrement(x))
            {
                if (MathF.Round(x / scale) != MathF.Round(x * (1f / scale)))
                {
                    witnesses.Add(x);
                }
            }
        }

        Assert.IsNotEmpty(witnesses, "no witness found; the test needs one to mean anything");
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            var q = new sbyte[witnesses.Count];
            AffineQuantizer.Quantize(witnesses.ToArray(), scale, 0, q, isa);
            for (int i = 0; i < q.Length; i++)
            {
                Assert.AreEqual((int)Math.Clamp(MathF.Round(witnesses[i] / scale), -128, 127), q[i], $"{isa} x={witnesses[i]}");
            }
        }
    }

    [TestMethod]
    public void Dequantize_is_exact_on_every_path()
    {
        var allBytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (int length in TestData.Lengths)
            {
                byte[] q = Enumerable.Range(0, length).Select(i => allBytes[(i * 37) % 256]).ToArray();
                var signedOut = new float[length];
                var unsignedOut = new float[length];
                AffineQuantizer.Dequantize(q, 0.0371f, -3, signedOut, signed: true, isa);
                AffineQuantizer.Dequantize(q, 0.0371f, 131, unsignedOut, signed: false, isa);
                for (int i = 0; i < length; i++)
                {
                    Assert.AreEqual(((sbyte)q[i] - -3) * 0.0371f, signedOut[i], $"{TestData.Describe(isa, length)} signed");
                    Assert.AreEqual((q[i] - 131) * 0.0371f, unsignedOut[i], $"{TestData.Describe(isa, length)} unsigned");
                }
            }
        }
    }

    [TestMethod]
    public void Per_channel_quantize_and_dequantize_use_each_channel_parameters()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (var (outer, channels, inner) in new[] { (1, 3, 1), (64, 70, 1), (1, 7, 100), (3, 5, 33), (2, 129, 2) })
            {
                float[] values = TestData.Mixed(outer * channels * inner, channels * 3, withNaN: true);
                float[] scales = Enumerable.Range(0, channels).Select(c => 0.01f + (0.37f * c)).ToArray();
                int[] zps = Enumerable.Range(0, channels).Select(c => (c * 7 % 21) - 10).ToArray();
                var q = new byte[values.Length];
                AffineQuantizer.QuantizePerChannel(values, outer, channels, inner, scales, zps, q, QuantizedType.Int8, isa);
                var back = new float[values.Length];
                AffineQuantizer.DequantizeGrouped(q, outer, channels, inner, 1, perChannel: true, scales, zps, back, signed: true, isa);
                for (int idx = 0; idx < values.Length; idx++)
                {
                    int c = idx / inner % channels;
                    int expected = Reference(values[idx], scales[c], zps[c], -128, 127);
                    Assert.AreEqual(expected, (sbyte)q[idx], $"{isa} [{outer},{channels},{inner}] at {idx}");
                    Assert.AreEqual((expected - zps[c]) * scales[c], back[idx]);
                }
            }
        }
    }

    [TestMethod]
    public void Per_block_quantize_and_dequantize_use_each_block_parameters()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (var (outer, axis, inner, block) in new[] { (2, 100, 1, 32), (1, 256, 1, 16), (3, 40, 70, 16), (1, 33, 5, 128), (2, 9, 3, 1) })
            {
                float[] values = TestData.Mixed(outer * axis * inner, axis, withNaN: false);
                int blocks = RangeKernels.BlockCount(axis, block);
                int count = outer * blocks * inner;
                float[] scales = Enumerable.Range(0, count).Select(p => 0.05f + (0.11f * (p % 13))).ToArray();
                int[] zps = Enumerable.Range(0, count).Select(p => 100 + (p % 50)).ToArray();
                var q = new byte[values.Length];
                AffineQuantizer.QuantizePerBlock(values, outer, axis, inner, block, scales, zps, q, QuantizedType.UInt8, isa);
                var back = new float[values.Length];
                AffineQuantizer.DequantizeGrouped(q, outer, axis, inner, block, perChannel: false, scales, zps, back, signed: false, isa);
                for (int o = 0; o < outer; o++)
                {
                    for (int a = 0; a < axis; a++)
                    {
                        for (int i = 0; i < inner; i++)
                        {
                            int idx = (((o * axis) + a) * inner) + i;
                            int p = (((o * blocks) + (a / block)) * inner) + i;
                            int expected = Reference(values[idx], scales[p], zps[p], 0, 255);
                            Assert.AreEqual(expected, q[idx], $"{isa} [{outer},{axis},{inner}]/{block} at {idx}");
                            Assert.AreEqual((expected - zps[p]) * scales[p], back[idx]);
                        }
                    }
                }
            }
        }
    }

    [TestMethod]
    public void Fused_tensor_quantization_equals_range_then_parameters_then_quantize()
    {
        foreach (bool symmetric in new[] { false, true })
        {
            foreach (bool reduce in new[] { false, true })
            {
                float[] values = TestData.GaussianWithOutliers(10_007, 3);
                var q = new sbyte[values.Length];
                var p = AffineQuantizer.QuantizeTensor(values, q, symmetric, reduce);
                var (min, max) = RangeKernels.MinMax(values);
                Assert.AreEqual(QuantizationParameters.Compute(min, max, QuantizedType.Int8, symmetric, reduce), p);
                for (int i = 0; i < values.Length; i++)
                {
                    Assert.AreEqual(Reference(values[i], p.Scale, p.ZeroPoint, -128, 127), q[i]);
                }

                var u = new byte[values.Length];
                var pu = AffineQuantizer.QuantizeTensor(values, u, symmetric, reduce);
                Assert.AreEqual(QuantizationParameters.Compute(min, max, QuantizedType.UInt8, symmetric, reduce), pu);
                for (int i = 0; i < values.Length; i++)
                {
                    Assert.AreEqual(Reference(values[i], pu.Scale, pu.ZeroPoint, 0, 255), u[i]);
                }
            }
        }
    }

    [TestMethod]
    public void Fused_per_channel_quantization_matches_per_channel_parameters()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (var (outer, channels, inner) in new[] { (1, 16, 300), (300, 16, 1), (4, 9, 7) })
            {
                float[] values = TestData.GaussianWithOutliers(outer * channels * inner, channels);
                var scales = new float[channels];
                var zps = new int[channels];
                var q = new byte[values.Length];
                AffineQuantizer.QuantizeTensorPerChannel(values, outer, channels, inner, symmetric: true, reduceRange: false, scales, zps, q, QuantizedType.Int8, isa);
                var min = new float[channels];
                var max = new float[channels];
                RangeKernels.MinMaxPerChannel(values, outer, channels, inner, min, max);
                for (int c = 0; c < channels; c++)
                {
                    Assert.AreEqual(QuantizationParameters.Compute(min[c], max[c], QuantizedType.Int8, symmetric: true), new QuantizationParameters(scales[c], zps[c]));
                }

                for (int idx = 0; idx < values.Length; idx++)
                {
                    int c = idx / inner % channels;
                    Assert.AreEqual(Reference(values[idx], scales[c], zps[c], -128, 127), (sbyte)q[idx]);
                }
            }
        }
    }

    [TestMethod]
    public void Parallel_quantize_is_identical_to_serial()
    {
        float[] values = TestData.Mixed(3_000_017, 5, withNaN: true);
        var serial = new sbyte[values.Length];
        var parallel = new sbyte[values.Length];
        AffineQuantizer.Quantize(values, 0.05f, 3, serial);
        AffineQuantizer.QuantizeParallel(values, 0.05f, 3, parallel);
        Assert.IsTrue(serial.AsSpan().SequenceEqual(parallel));
        var serialU = new byte[values.Length];
        var parallelU = new byte[values.Length];
        AffineQuantizer.Quantize(values, 0.05f, 130, serialU);
        AffineQuantizer.QuantizeParallel(values, 0.05f, 130, parallelU);
        Assert.IsTrue(serialU.AsSpan().SequenceEqual(parallelU));
    }

    [TestMethod]
    public void Parallel_fused_quantize_is_identical_to_serial()
    {
        float[] values = TestData.GaussianWithOutliers(2_300_001, 6);
        var serial = new sbyte[values.Length];
        var parallel = new sbyte[values.Length];
        Assert.AreEqual(AffineQuantizer.QuantizeTensor(values, serial, symmetric: true), AffineQuantizer.QuantizeTensorParallel(values, parallel, symmetric: true));
        Assert.IsTrue(serial.AsSpan().SequenceEqual(parallel));
        var serialU = new byte[values.Length];
        var parallelU = new byte[values.Length];
        Assert.AreEqual(AffineQuantizer.QuantizeTensor(values, serialU, symmetric: false), AffineQuantizer.QuantizeTensorParallel(values, parallelU, symmetric: false));
        Assert.IsTrue(serialU.AsSpan().SequenceEqual(parallelU));
    }

    [TestMethod]
    public void Mismatched_parameter_counts_are_rejected()
    {
        Assert.ThrowsExactly<ArgumentException>(() => AffineQuantizer.QuantizePerChannel(new float[12], 2, 3, 2, new float[2], new int[3], new sbyte[12]));
        Assert.ThrowsExactly<ArgumentException>(() => AffineQuantizer.Quantize(new float[12], 1f, 0, new sbyte[11]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AffineQuantizer.QuantizePerBlock(new float[12], 1, 12, 1, 0, new float[1], new int[1], new sbyte[12]));
    }
}
