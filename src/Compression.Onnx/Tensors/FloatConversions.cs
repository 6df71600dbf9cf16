using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Compression.Onnx.Tensors;

/// <summary>float16 and bfloat16 conversions (round to nearest even, NaN kept NaN).</summary>
internal static class FloatConversions
{
    public static void HalfBitsToSingle(ReadOnlySpan<ushort> bits, Span<float> destination) =>
        TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<ushort, Half>(bits), destination);

    public static void SingleToHalfBits(ReadOnlySpan<float> values, Span<ushort> destination) =>
        TensorPrimitives.ConvertToHalf(values, MemoryMarshal.Cast<ushort, Half>(destination));

    public static void BFloat16BitsToSingle(ReadOnlySpan<ushort> bits, Span<float> destination)
    {
        for (int i = 0; i < bits.Length; i++)
        {
            destination[i] = BitConverter.Int32BitsToSingle(bits[i] << 16);
        }
    }

    public static void SingleToBFloat16Bits(ReadOnlySpan<float> values, Span<ushort> destination)
    {
        for (int i = 0; i < values.Length; i++)
        {
            destination[i] = SingleToBFloat16Bits(values[i]);
        }
    }

    public static ushort SingleToBFloat16Bits(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            // Keep the sign, force a quiet NaN so truncation cannot turn it into infinity.
            return (ushort)((bits >> 16) | 0x0040);
        }

        uint roundingBias = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + roundingBias) >> 16);
    }
}
