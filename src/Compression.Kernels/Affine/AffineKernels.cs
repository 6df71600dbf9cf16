using System.Runtime.CompilerServices;

namespace Compression.Kernels.Affine;

/// <summary>Affine quantize/dequantize loops; arguments are checked by <see cref="AffineQuantizer"/>.</summary>
internal static partial class AffineKernels
{
    /// <summary>The scalar reference of one element: ONNX QuantizeLinear with NaN mapped to the zero point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int QuantizeOne(float x, float scale, int zeroPoint, int lo, int hi)
    {
        float v = x / scale;
        if (float.IsNaN(v))
        {
            v = 0f;
        }

        // Adding the zero point in float is exact below 2^24 and saturation hides the rest.
        v = MathF.Round(v, MidpointRounding.ToEven) + zeroPoint;
        v = Math.Clamp(v, lo, hi);
        return (int)v;
    }

    public static void Quantize(ReadOnlySpan<float> values, float scale, int zeroPoint, int lo, int hi, Span<byte> destination, KernelIsa isa)
    {
        WidthChangeDriver.FloatToByte(new AffineQuantizeOperator(scale, zeroPoint, lo, hi), values, destination, isa);
    }

    public static void QuantizeRow(ReadOnlySpan<float> values, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, int lo, int hi, Span<byte> destination, KernelIsa isa)
    {
        int done = isa == KernelIsa.Scalar ? 0 : QuantizeRowVector(values, scales, zeroPoints, lo, hi, destination, isa);
        for (int i = done; i < values.Length; i++)
        {
            destination[i] = (byte)QuantizeOne(values[i], scales[i], zeroPoints[i], lo, hi);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float DequantizeOne(int q, float scale, int zeroPoint) => (q - zeroPoint) * scale;

    public static void Dequantize(ReadOnlySpan<byte> quantized, float scale, int zeroPoint, Span<float> destination, bool signed, KernelIsa isa)
    {
        WidthChangeDriver.ByteToFloat(new AffineDequantizeOperator(scale, zeroPoint), quantized, signed, destination, isa);
    }

    public static void DequantizeRow(ReadOnlySpan<byte> quantized, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination, bool signed, KernelIsa isa)
    {
        int done = isa == KernelIsa.Scalar ? 0 : DequantizeRowVector(quantized, scales, zeroPoints, destination, signed, isa);
        for (int i = done; i < quantized.Length; i++)
        {
            int q = signed ? (sbyte)quantized[i] : quantized[i];
            destination[i] = DequantizeOne(q, scales[i], zeroPoints[i]);
        }
    }
}
