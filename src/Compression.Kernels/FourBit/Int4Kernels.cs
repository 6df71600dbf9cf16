using System.Buffers;

namespace Compression.Kernels.FourBit;

/// <summary>ONNX opset-21 int4/uint4 quantize, dequantize and nibble packing.</summary>
internal static class Int4Kernels
{
    /// <summary>ONNX QuantizeLinear to 4 bits (saturating to the int4/uint4 range), then nibble packing.</summary>
    public static void Quantize(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<byte> packed, bool signed, KernelIsa isa)
    {
        CheckBlocked(values.Length, outer, axisLength, inner, blockSize, scales.Length, zeroPoints.Length);
        if (packed.Length < BlockQuantizer4Bit.PackedLength(values.Length))
        {
            ThrowHelper.DestinationTooShort(nameof(packed));
        }

        byte[] quantized = ArrayPool<byte>.Shared.Rent(Math.Max(1, values.Length));
        int[]? zeros = zeroPoints.IsEmpty ? ArrayPool<int>.Shared.Rent(Math.Max(1, scales.Length)) : null;
        try
        {
            if (zeros is not null)
            {
                Array.Clear(zeros, 0, scales.Length);
                zeroPoints = zeros.AsSpan(0, scales.Length);
            }

            Span<byte> levels = quantized.AsSpan(0, values.Length);
            AffineQuantizer.QuantizeGrouped(values, outer, axisLength, inner, blockSize, perChannel: false, scales, zeroPoints, levels, signed ? QuantizedType.Int4 : QuantizedType.UInt4, isa);
            Nibbles.Pack(levels, packed, isa);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(quantized);
            if (zeros is not null)
            {
                ArrayPool<int>.Shared.Return(zeros);
            }
        }
    }

    /// <summary>Unpacks, then ONNX DequantizeLinear.</summary>
    public static void Dequantize(ReadOnlySpan<byte> packed, int outer, int axisLength, int inner, int blockSize, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination, bool signed, KernelIsa isa)
    {
        if (outer < 0 || axisLength < 0 || inner < 0)
        {
            ThrowHelper.OutOfRange(nameof(outer), "Shape dimensions must be non-negative.");
        }

        long count = (long)outer * axisLength * inner;
        if (count > destination.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        CheckBlocked((int)count, outer, axisLength, inner, blockSize, scales.Length, zeroPoints.Length);
        if (packed.Length < BlockQuantizer4Bit.PackedLength((int)count))
        {
            ThrowHelper.LengthMismatch(nameof(packed));
        }

        byte[] unpacked = ArrayPool<byte>.Shared.Rent(Math.Max(1, (int)count));
        int[]? zeros = zeroPoints.IsEmpty ? ArrayPool<int>.Shared.Rent(Math.Max(1, scales.Length)) : null;
        try
        {
            if (zeros is not null)
            {
                Array.Clear(zeros, 0, scales.Length);
                zeroPoints = zeros.AsSpan(0, scales.Length);
            }

            Span<byte> levels = unpacked.AsSpan(0, (int)count);
            Nibbles.Unpack(packed, levels, signed, isa);
            AffineQuantizer.DequantizeGrouped(levels, outer, axisLength, inner, blockSize, perChannel: false, scales, zeroPoints, destination, signed, isa);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(unpacked);
            if (zeros is not null)
            {
                ArrayPool<int>.Shared.Return(zeros);
            }
        }
    }

    public static void Pack(ReadOnlySpan<byte> values, Span<byte> packed, string paramName, bool signed)
    {
        if (packed.Length < BlockQuantizer4Bit.PackedLength(values.Length))
        {
            ThrowHelper.DestinationTooShort(nameof(packed));
        }

        for (int i = 0; i < values.Length; i++)
        {
            int v = signed ? (sbyte)values[i] : values[i];
            if (signed ? v is < -8 or > 7 : v > 15)
            {
                ThrowHelper.OutOfRange(paramName, $"Value {v} at index {i} does not fit in 4 bits.");
            }
        }

        Nibbles.Pack(values, packed, KernelIsaSelector.Best);
    }

    public static void Unpack(ReadOnlySpan<byte> packed, Span<byte> values, bool signed)
    {
        if (packed.Length < BlockQuantizer4Bit.PackedLength(values.Length))
        {
            ThrowHelper.LengthMismatch(nameof(packed));
        }

        Nibbles.Unpack(packed, values, signed, KernelIsaSelector.Best);
    }

    /// <summary>Element <paramref name="index"/> of a packed 4-bit tensor, sign-extended when signed.</summary>
    public static int Nibble(ReadOnlySpan<byte> packed, int index, bool signed)
    {
        int v = (packed[index >> 1] >> ((index & 1) << 2)) & 0xF;
        return signed ? (v ^ 8) - 8 : v;
    }

    private static void CheckBlocked(int length, int outer, int axisLength, int inner, int blockSize, int scaleCount, int zeroPointCount)
    {
        ThrowHelper.CheckBlockSize(blockSize, nameof(blockSize));
        ThrowHelper.CheckShape(length, outer, axisLength, inner, "values");
        int count = outer * RangeKernels.BlockCount(axisLength, blockSize) * inner;
        if (scaleCount != count)
        {
            ThrowHelper.LengthMismatch("scales");
        }

        if (zeroPointCount != 0 && zeroPointCount != count)
        {
            ThrowHelper.LengthMismatch("zeroPoints");
        }
    }
}
