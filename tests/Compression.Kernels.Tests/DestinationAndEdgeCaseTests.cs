using Compression.Kernels;

namespace Compression.Kernels.Tests;

/// <summary>
/// What mutation testing (docs/reports/mutation.md) found untested: destination-length checks (a short destination
/// is an <see cref="ArgumentException"/>, a longer one is fine), the empty-tensor and saturating entry points, and the
/// MLAS sign rule when the smallest and largest value have the same magnitude.
/// </summary>
[TestClass]
public sealed class DestinationAndEdgeCaseTests
{
    private static readonly float[] Source = [1f, -2.5f, 3f, 0.125f];

    [TestMethod]
    public void Float_conversions_reject_a_short_destination_and_accept_a_longer_one()
    {
        Assert.ThrowsExactly<ArgumentException>(() => FloatConverter.ToHalf(Source, new Half[3]));
        Assert.ThrowsExactly<ArgumentException>(() => FloatConverter.ToHalfSaturating(Source, new Half[3]));
        Assert.ThrowsExactly<ArgumentException>(() => FloatConverter.ToBFloat16(Source, new ushort[3]));
        Assert.ThrowsExactly<ArgumentException>(() => FloatConverter.FromHalf(new Half[4], new float[3]));
        Assert.ThrowsExactly<ArgumentException>(() => FloatConverter.FromBFloat16(new ushort[4], new float[3]));
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            Assert.ThrowsExactly<ArgumentException>(() => FloatConverter.ToHalf(Source, new ushort[3], saturate: false, isa), isa.ToString());
            Assert.ThrowsExactly<ArgumentException>(() => FloatConverter.ToBFloat16(Source, new ushort[3], saturate: false, isa), isa.ToString());
            Assert.ThrowsExactly<ArgumentException>(() => FloatConverter.FromHalf(new ushort[4], new float[3], isa), isa.ToString());
            Assert.ThrowsExactly<ArgumentException>(() => FloatConverter.FromBFloat16(new ushort[4], new float[3], isa), isa.ToString());
        }

        // A longer destination: the first elements are written, the rest untouched.
        var half = new Half[6];
        FloatConverter.ToHalf(Source, half);
        Assert.AreEqual(Half.Zero, half[5]);
        var back = new float[6];
        back[5] = 42f;
        FloatConverter.FromHalf(half.AsSpan(0, 4), back);
        CollectionAssert.AreEqual(new[] { 1f, -2.5f, 3f, 0.125f, 0f, 42f }, back);
        var bf = new ushort[5];
        FloatConverter.ToBFloat16(Source, bf);
        var bfBack = new float[5];
        FloatConverter.FromBFloat16(bf, bfBack);
        CollectionAssert.AreEqual(new[] { 1f, -2.5f, 3f, 0.125f, 0f }, bfBack);
    }

    [TestMethod]
    public void Saturating_bfloat16_clamps_where_the_plain_conversion_overflows()
    {
        // float.MaxValue rounds up past the largest bfloat16 (0x7F7F): infinity (0x7F80) unless saturating.
        var plain = new ushort[2];
        var saturated = new ushort[2];
        FloatConverter.ToBFloat16([float.MaxValue, -float.MaxValue], plain);
        FloatConverter.ToBFloat16Saturating([float.MaxValue, -float.MaxValue], saturated);
        CollectionAssert.AreEqual(new ushort[] { 0x7F80, 0xFF80 }, plain);
        CollectionAssert.AreEqual(new ushort[] { 0x7F7F, 0xFF7F }, saturated);
    }

    [TestMethod]
    public void Quantization_parameters_check_their_destinations_and_shapes()
    {
        float[] min = [-1f, -2f, 0f], max = [1f, 3f, 4f];
        Assert.ThrowsExactly<ArgumentException>(() => QuantizationParameters.Compute(min, max, QuantizedType.Int8, false, false, new float[2], new int[3]));
        Assert.ThrowsExactly<ArgumentException>(() => QuantizationParameters.Compute(min, max, QuantizedType.Int8, false, false, new float[3], new int[2]));
        var scales = new float[4];
        var zeroPoints = new int[4];
        QuantizationParameters.Compute(min, max, QuantizedType.UInt8, false, false, scales, zeroPoints);
        Assert.AreEqual(QuantizationParameters.Compute(-2f, 3f, QuantizedType.UInt8, false).Scale, scales[1]);
        Assert.AreEqual(0f, scales[3], "past the channels nothing is written");

        // [outer 2, axis 64, inner 3] in blocks of 32: 2 * 2 * 3 = 12 parameters.
        float[] values = Enumerable.Range(0, 2 * 64 * 3).Select(i => (float)Math.Sin(i)).ToArray();
        QuantizationParameters.ComputePerBlock(values, 2, 64, 3, 32, QuantizedType.Int4, true, false, new float[12], new int[12]);
        Assert.ThrowsExactly<ArgumentException>(() => QuantizationParameters.ComputePerBlock(values, 2, 64, 3, 32, QuantizedType.Int4, true, false, new float[11], new int[12]));
        Assert.ThrowsExactly<ArgumentException>(() => QuantizationParameters.ComputePerBlock(values, 2, 64, 3, 32, QuantizedType.Int4, true, false, new float[12], new int[11]));
        Assert.ThrowsExactly<ArgumentException>(() => QuantizationParameters.ComputePerBlock(values, 2, 64, 4, 32, QuantizedType.Int4, true, false, new float[16], new int[16]), "shape does not match the values");
    }

    [TestMethod]
    public void Empty_and_non_finite_tensors_follow_the_documented_rule()
    {
        Assert.AreEqual(new QuantizationParameters(1f, 0), QuantizationParameters.Compute(ReadOnlySpan<float>.Empty, QuantizedType.UInt8, symmetric: false));
        var error = Assert.ThrowsExactly<ArgumentException>(() => QuantizationParameters.Compute(float.NaN, 1f, QuantizedType.Int8, false));
        StringAssert.Contains(error.Message, "NaN or infinity");
    }

    [TestMethod]
    public void Mlas_symmetric_scale_takes_the_negative_end_on_a_magnitude_tie()
    {
        // range2scale: |max| > |min| picks max, else min; a tie maps min to -8, so the scale is positive.
        Assert.AreEqual((0.125f, 8), MlasBlockRule.ScaleAndZeroPoint(-1f, 1f, symmetric: true));
        Assert.AreEqual((-0.25f, 8), MlasBlockRule.ScaleAndZeroPoint(-1f, 2f, symmetric: true));
        Assert.AreEqual((0.25f, 8), MlasBlockRule.ScaleAndZeroPoint(-2f, 1f, symmetric: true));
    }
}
