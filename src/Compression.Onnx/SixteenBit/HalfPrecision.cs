using System.Runtime.InteropServices;
using Compression.Kernels;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.SixteenBit;

/// <summary>float32 to float16/bfloat16 bits, rounding to nearest even and clamping to the finite range of the target
/// (a weight above 65504 becomes 65504, not infinity: the classic failure of float16 converters).</summary>
internal static class HalfPrecision
{
    public const float MaxFloat16 = 65504f;

    public static DataType ElementType(QuantizationType type) => type == QuantizationType.BFloat16 ? DataType.Bfloat16 : DataType.Float16;

    /// <summary>The 16-bit little-endian storage bytes of <paramref name="values"/> (saturating kernels of Compression.Kernels).</summary>
    public static byte[] Encode(ReadOnlySpan<float> values, QuantizationType type)
    {
        var bytes = new byte[values.Length * 2];
        if (type == QuantizationType.BFloat16)
        {
            FloatConverter.ToBFloat16Saturating(values, MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan()));
        }
        else
        {
            FloatConverter.ToHalfSaturating(values, MemoryMarshal.Cast<byte, Half>(bytes.AsSpan()));
        }

        return bytes;
    }
}
