namespace Compression.Kernels;

/// <summary>ONNX opset-21 int4/uint4 quantize, dequantize and nibble packing.</summary>
internal static class Int4Kernels
{
    public static void Quantize(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<byte> packed, bool signed)
    {
        CheckBlocked(values.Length, outer, axisLength, inner, blockSize, scales.Length, zeroPoints.Length);
        if (packed.Length < BlockQuantizer4Bit.PackedLength(values.Length))
        {
            ThrowHelper.DestinationTooShort(nameof(packed));
        }

        var (lo, hi) = QuantizationParameters.StorageRange(signed ? QuantizedType.Int4 : QuantizedType.UInt4);
        int blocks = RangeKernels.BlockCount(axisLength, blockSize);
        int low = 0;
        int index = 0;
        for (int o = 0; o < outer; o++)
        {
            for (int a = 0; a < axisLength; a++)
            {
                int p = ((o * blocks) + (a / blockSize)) * inner;
                for (int i = 0; i < inner; i++, index++)
                {
                    int zp = zeroPoints.IsEmpty ? 0 : zeroPoints[p + i];
                    int q = AffineKernels.QuantizeOne(values[index], scales[p + i], zp, lo, hi) & 0xF;
                    if ((index & 1) == 0)
                    {
                        low = q;
                    }
                    else
                    {
                        packed[index >> 1] = (byte)(low | (q << 4));
                    }
                }
            }
        }

        if ((index & 1) == 1)
        {
            packed[index >> 1] = (byte)low;
        }
    }

    public static void Dequantize(ReadOnlySpan<byte> packed, int outer, int axisLength, int inner, int blockSize, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination, bool signed)
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

        int blocks = RangeKernels.BlockCount(axisLength, blockSize);
        int index = 0;
        for (int o = 0; o < outer; o++)
        {
            for (int a = 0; a < axisLength; a++)
            {
                int p = ((o * blocks) + (a / blockSize)) * inner;
                for (int i = 0; i < inner; i++, index++)
                {
                    int q = Nibble(packed, index, signed);
                    int zp = zeroPoints.IsEmpty ? 0 : zeroPoints[p + i];
                    destination[index] = AffineKernels.DequantizeOne(q, scales[p + i], zp);
                }
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

        int pairs = values.Length / 2;
        for (int i = 0; i < pairs; i++)
        {
            packed[i] = (byte)((values[2 * i] & 0xF) | ((values[(2 * i) + 1] & 0xF) << 4));
        }

        if ((values.Length & 1) == 1)
        {
            packed[pairs] = (byte)(values[^1] & 0xF);
        }
    }

    public static void Unpack(ReadOnlySpan<byte> packed, Span<byte> values, bool signed)
    {
        if (packed.Length < BlockQuantizer4Bit.PackedLength(values.Length))
        {
            ThrowHelper.LengthMismatch(nameof(packed));
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (byte)Nibble(packed, i, signed);
        }
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
