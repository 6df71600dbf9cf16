using Compression.Onnx.Quantization;

namespace Compression.Onnx.Tests.Quantization;

/// <summary>
/// Quantized bytes, scales and zero points against hand-computed ONNX Runtime quantize_dynamic results
/// (quant_utils.compute_scale_zp + quantize_nparray): range widened to 0, int8 symmetric [-127, 127],
/// round half to even, saturation.
/// </summary>
[TestClass]
public sealed class QuantizedWeightExactnessTests
{
    [TestMethod]
    public void Int8_symmetric_per_tensor_matches_hand_computation()
    {
        // absmax 15.875 -> scale 2 * 15.875 / 254 = 0.125 exactly; x / 0.125 is exact, so rounding is visible:
        // 0.0625 -> 0.5 -> 0 (half to even), 0.1875 -> 1.5 -> 2, -0.3125 -> -2.5 -> -2.
        float[] w = [15.875f, 0.0625f, 0.1875f, -0.3125f, 3f, -15.875f];
        var q = QuantizedWeight.Quantize(w, [6], null, signed: true, symmetric: true);
        Assert.AreEqual(0.125f, q.Scales[0]);
        Assert.AreEqual(0, q.ZeroPoints[0]);
        CollectionAssert.AreEqual(new sbyte[] { 127, 0, 2, -2, 24, -127 }, q.Data.Select(b => unchecked((sbyte)b)).ToArray());
    }

    [TestMethod]
    public void UInt8_asymmetric_per_tensor_matches_hand_computation()
    {
        // [-1, 3]: scale = 4 / 255 (float64, then float32), zero point = round(0 - (-1) / scale) = round(63.75) = 64.
        float[] w = [-1f, 3f, 0f, 1f];
        var q = QuantizedWeight.Quantize(w, [4], null, signed: false, symmetric: false);
        Assert.AreEqual((float)(4.0 / 255.0), q.Scales[0]);
        Assert.AreEqual(64, q.ZeroPoints[0]);
        CollectionAssert.AreEqual(new byte[] { 0, 255, 64, 128 }, q.Data);
    }

    [TestMethod]
    public void Range_always_includes_zero()
    {
        // All positive: rmin becomes 0, so the zero point is 0 and 0.0 is exactly representable.
        float[] w = [1f, 2f, 3f];
        var q = QuantizedWeight.Quantize(w, [3], null, signed: false, symmetric: false);
        Assert.AreEqual(0, q.ZeroPoints[0]);
        Assert.AreEqual((float)(3.0 / 255.0), q.Scales[0]);
        CollectionAssert.AreEqual(new byte[] { 85, 170, 255 }, q.Data);
    }

    [TestMethod]
    public void All_zero_tensor_gets_scale_one_and_zero_point_zero()
    {
        var q = QuantizedWeight.Quantize(new float[8], [8], null, signed: true, symmetric: true);
        Assert.AreEqual(1f, q.Scales[0]);
        Assert.AreEqual(0, q.ZeroPoints[0]);
        Assert.IsTrue(q.Data.All(b => b == 0));
    }

    [TestMethod]
    public void Per_channel_scales_are_per_slice_of_the_axis()
    {
        // [2, 3] per row: row 0 absmax 1.27 -> scale 0.01; row 1 absmax 12.7 -> scale 0.1.
        float[] w = [1.27f, -0.5f, 0.01f, 12.7f, 5f, -12.7f];
        var q = QuantizedWeight.Quantize(w, [2, 3], 0, signed: true, symmetric: true);
        Assert.AreEqual((float)(2.54 / 254), q.Scales[0], 1e-9f);
        Assert.AreEqual((float)(25.4 / 254), q.Scales[1], 1e-8f);
        CollectionAssert.AreEqual(new sbyte[] { 127, -50, 1, 127, 50, -127 }, q.Data.Select(b => unchecked((sbyte)b)).ToArray());

        // Columns of the same matrix: three scales.
        var columns = QuantizedWeight.Quantize(w, [2, 3], 1, signed: true, symmetric: true);
        Assert.HasCount(3, columns.Scales);
        Assert.AreEqual((float)(25.4 / 254), columns.Scales[0], 1e-8f);
    }

    [TestMethod]
    public void Dequantized_error_is_at_most_half_a_step()
    {
        float[] w = Pipeline.TinyModels.Seeded(4096, 11);
        var q = QuantizedWeight.Quantize(w, [64, 64], 0, signed: true, symmetric: true);
        double maxError = 0;
        for (int i = 0; i < w.Length; i++)
        {
            int c = i / 64;
            maxError = Math.Max(maxError, Math.Abs(w[i] - q.Scales[c] * unchecked((sbyte)q.Data[i])) / q.Scales[c]);
        }

        Assert.IsLessThanOrEqualTo(0.5 + 1e-4, maxError);
    }
}
