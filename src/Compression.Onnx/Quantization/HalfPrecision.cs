using Google.Protobuf;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Quantization;

/// <summary>float32 to float16/bfloat16 bits, rounding to nearest even and clamping to the finite range of the target
/// (a weight above 65504 becomes 65504, not infinity: the classic failure of float16 converters).</summary>
internal static class HalfPrecision
{
    public const float MaxFloat16 = 65504f;

    public static DataType ElementType(QuantizationType type) => type == QuantizationType.BFloat16 ? DataType.Bfloat16 : DataType.Float16;

    public static ByteString Encode(ReadOnlySpan<float> values, QuantizationType type)
    {
        var bits = new ushort[values.Length];
        if (type == QuantizationType.BFloat16)
        {
            for (int i = 0; i < values.Length; i++) bits[i] = ToBFloat16(values[i]);
        }
        else
        {
            for (int i = 0; i < values.Length; i++) bits[i] = BitConverter.HalfToUInt16Bits((Half)Math.Clamp(values[i], -MaxFloat16, MaxFloat16));
        }

        return InterimTensors.Bytes<ushort>(bits);
    }

    /// <summary>Round to nearest even on the upper 16 bits; finite values that would round past the largest bfloat16 are clamped to it.</summary>
    public static ushort ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x40);
        uint rounded = bits + 0x7FFFu + ((bits >> 16) & 1u);
        ushort result = (ushort)(rounded >> 16);
        bool becameInfinite = (result & 0x7FFF) == 0x7F80 && float.IsFinite(value);
        return becameInfinite ? (ushort)(result - 1) : result;
    }
}
