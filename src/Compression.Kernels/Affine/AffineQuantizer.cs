using System.Buffers;
using System.Runtime.InteropServices;

namespace Compression.Kernels;

/// <summary>
/// Affine (scale and zero point) quantization of float tensors to int8/uint8 and back, bit-exact with ONNX
/// <c>QuantizeLinear</c>/<c>DequantizeLinear</c>: <c>q = saturate(round_half_to_even(x / scale) + zeroPoint)</c>
/// (a true division in float32, not a multiplication by 1/scale), <c>x = (q - zeroPoint) * scale</c>.
/// </summary>
/// <remarks>
/// <para>NaN policy: a NaN input quantizes to the zero point (it dequantizes to 0); +/-infinity saturates to
/// the type's limits. Saturation is to the full storage range (int8 [-128, 127], uint8 [0, 255]) as ONNX
/// specifies, also when the parameters came from a symmetric or reduced range.</para>
/// <para>Shapes follow <see cref="RangeKernels"/>: per channel views the tensor as <c>[outer, channels, inner]</c>
/// with one scale and zero point per channel; per block views it as <c>[outer, axisLength, inner]</c> with
/// parameters laid out <c>[outer, blockCount, inner]</c> (ONNX opset 21 blocked quantization along an axis).</para>
/// </remarks>
public static class AffineQuantizer
{
    /// <summary>Quantizes to int8 with one scale and zero point.</summary>
    public static void Quantize(ReadOnlySpan<float> values, float scale, int zeroPoint, Span<sbyte> destination) =>
        Quantize(values, scale, zeroPoint, destination, KernelIsaSelector.Best);

    /// <summary>Quantizes to uint8 with one scale and zero point.</summary>
    public static void Quantize(ReadOnlySpan<float> values, float scale, int zeroPoint, Span<byte> destination) =>
        Quantize(values, scale, zeroPoint, destination, KernelIsaSelector.Best);

    /// <summary>Quantizes to int8 with one scale and zero point per channel of <c>[outer, channels, inner]</c>.</summary>
    public static void QuantizePerChannel(ReadOnlySpan<float> values, int outer, int channels, int inner, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<sbyte> destination) =>
        QuantizePerChannel(values, outer, channels, inner, scales, zeroPoints, MemoryMarshal.AsBytes(destination), QuantizedType.Int8, KernelIsaSelector.Best);

    /// <summary>Quantizes to uint8 with one scale and zero point per channel of <c>[outer, channels, inner]</c>.</summary>
    public static void QuantizePerChannel(ReadOnlySpan<float> values, int outer, int channels, int inner, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<byte> destination) =>
        QuantizePerChannel(values, outer, channels, inner, scales, zeroPoints, destination, QuantizedType.UInt8, KernelIsaSelector.Best);

    /// <summary>Quantizes to int8 per block of <c>[outer, axisLength, inner]</c>; parameters are <c>[outer, blocks, inner]</c>.</summary>
    public static void QuantizePerBlock(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<sbyte> destination) =>
        QuantizePerBlock(values, outer, axisLength, inner, blockSize, scales, zeroPoints, MemoryMarshal.AsBytes(destination), QuantizedType.Int8, KernelIsaSelector.Best);

    /// <summary>Quantizes to uint8 per block of <c>[outer, axisLength, inner]</c>; parameters are <c>[outer, blocks, inner]</c>.</summary>
    public static void QuantizePerBlock(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<byte> destination) =>
        QuantizePerBlock(values, outer, axisLength, inner, blockSize, scales, zeroPoints, destination, QuantizedType.UInt8, KernelIsaSelector.Best);

    /// <summary>
    /// Fused per-tensor quantization to int8: range, ONNX Runtime's parameters
    /// (<see cref="QuantizationParameters.Compute(float, float, QuantizedType, bool, bool)"/>) and quantization,
    /// in two passes over the input.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor contains NaN or infinity.</exception>
    public static QuantizationParameters QuantizeTensor(ReadOnlySpan<float> values, Span<sbyte> destination, bool symmetric, bool reduceRange = false)
    {
        var p = QuantizationParameters.Compute(values, QuantizedType.Int8, symmetric, reduceRange);
        Quantize(values, p.Scale, p.ZeroPoint, destination);
        return p;
    }

    /// <summary>Fused per-tensor quantization to uint8 (see the int8 overload).</summary>
    /// <exception cref="ArgumentException">The tensor contains NaN or infinity.</exception>
    public static QuantizationParameters QuantizeTensor(ReadOnlySpan<float> values, Span<byte> destination, bool symmetric, bool reduceRange = false)
    {
        var p = QuantizationParameters.Compute(values, QuantizedType.UInt8, symmetric, reduceRange);
        Quantize(values, p.Scale, p.ZeroPoint, destination);
        return p;
    }

    /// <summary>
    /// Fused per-channel quantization to int8: per-channel range, ONNX Runtime's parameters per channel, then
    /// quantization. <paramref name="scales"/> and <paramref name="zeroPoints"/> receive one value per channel.
    /// </summary>
    /// <exception cref="ArgumentException">A channel contains NaN or infinity.</exception>
    public static void QuantizeTensorPerChannel(ReadOnlySpan<float> values, int outer, int channels, int inner, bool symmetric, bool reduceRange, Span<float> scales, Span<int> zeroPoints, Span<sbyte> destination) =>
        QuantizeTensorPerChannel(values, outer, channels, inner, symmetric, reduceRange, scales, zeroPoints, MemoryMarshal.AsBytes(destination), QuantizedType.Int8, KernelIsaSelector.Best);

    /// <summary>Fused per-channel quantization to uint8 (see the int8 overload).</summary>
    /// <exception cref="ArgumentException">A channel contains NaN or infinity.</exception>
    public static void QuantizeTensorPerChannel(ReadOnlySpan<float> values, int outer, int channels, int inner, bool symmetric, bool reduceRange, Span<float> scales, Span<int> zeroPoints, Span<byte> destination) =>
        QuantizeTensorPerChannel(values, outer, channels, inner, symmetric, reduceRange, scales, zeroPoints, destination, QuantizedType.UInt8, KernelIsaSelector.Best);

    /// <summary>
    /// <see cref="QuantizeTensor(ReadOnlySpan{float}, Span{sbyte}, bool, bool)"/> with both passes split over all cores
    /// (identical result).
    /// </summary>
    /// <exception cref="ArgumentException">The tensor contains NaN or infinity.</exception>
    public static QuantizationParameters QuantizeTensorParallel(ReadOnlySpan<float> values, Span<sbyte> destination, bool symmetric, bool reduceRange = false)
    {
        var p = ComputeParallel(values, QuantizedType.Int8, symmetric, reduceRange);
        QuantizeParallel(values, p.Scale, p.ZeroPoint, destination);
        return p;
    }

    /// <summary>Fused per-tensor quantization to uint8 over all cores (see the int8 overload).</summary>
    /// <exception cref="ArgumentException">The tensor contains NaN or infinity.</exception>
    public static QuantizationParameters QuantizeTensorParallel(ReadOnlySpan<float> values, Span<byte> destination, bool symmetric, bool reduceRange = false)
    {
        var p = ComputeParallel(values, QuantizedType.UInt8, symmetric, reduceRange);
        QuantizeParallel(values, p.Scale, p.ZeroPoint, destination);
        return p;
    }

    private static QuantizationParameters ComputeParallel(ReadOnlySpan<float> values, QuantizedType type, bool symmetric, bool reduceRange)
    {
        if (values.IsEmpty)
        {
            return new QuantizationParameters(1f, 0);
        }

        var (min, max) = RangeKernels.MinMaxParallel(values);
        return QuantizationParameters.Compute(min, max, type, symmetric, reduceRange);
    }

    /// <summary><see cref="Quantize(ReadOnlySpan{float}, float, int, Span{sbyte})"/> split over all cores (identical result).</summary>
    public static void QuantizeParallel(ReadOnlySpan<float> values, float scale, int zeroPoint, Span<sbyte> destination) =>
        ParallelQuantize.Quantize(values, scale, zeroPoint, MemoryMarshal.AsBytes(destination), QuantizedType.Int8, KernelIsaSelector.Best);

    /// <summary><see cref="Quantize(ReadOnlySpan{float}, float, int, Span{byte})"/> split over all cores (identical result).</summary>
    public static void QuantizeParallel(ReadOnlySpan<float> values, float scale, int zeroPoint, Span<byte> destination) =>
        ParallelQuantize.Quantize(values, scale, zeroPoint, destination, QuantizedType.UInt8, KernelIsaSelector.Best);

    /// <summary>Dequantizes int8: <c>(q - zeroPoint) * scale</c>.</summary>
    public static void Dequantize(ReadOnlySpan<sbyte> quantized, float scale, int zeroPoint, Span<float> destination) =>
        Dequantize(MemoryMarshal.AsBytes(quantized), scale, zeroPoint, destination, signed: true, KernelIsaSelector.Best);

    /// <summary>Dequantizes uint8: <c>(q - zeroPoint) * scale</c>.</summary>
    public static void Dequantize(ReadOnlySpan<byte> quantized, float scale, int zeroPoint, Span<float> destination) =>
        Dequantize(quantized, scale, zeroPoint, destination, signed: false, KernelIsaSelector.Best);

    /// <summary>Dequantizes int8 with one scale and zero point per channel of <c>[outer, channels, inner]</c>.</summary>
    public static void DequantizePerChannel(ReadOnlySpan<sbyte> quantized, int outer, int channels, int inner, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination) =>
        DequantizeGrouped(MemoryMarshal.AsBytes(quantized), outer, channels, inner, 1, perChannel: true, scales, zeroPoints, destination, signed: true, KernelIsaSelector.Best);

    /// <summary>Dequantizes uint8 with one scale and zero point per channel of <c>[outer, channels, inner]</c>.</summary>
    public static void DequantizePerChannel(ReadOnlySpan<byte> quantized, int outer, int channels, int inner, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination) =>
        DequantizeGrouped(quantized, outer, channels, inner, 1, perChannel: true, scales, zeroPoints, destination, signed: false, KernelIsaSelector.Best);

    /// <summary>Dequantizes int8 per block of <c>[outer, axisLength, inner]</c>.</summary>
    public static void DequantizePerBlock(ReadOnlySpan<sbyte> quantized, int outer, int axisLength, int inner, int blockSize, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination) =>
        DequantizeGrouped(MemoryMarshal.AsBytes(quantized), outer, axisLength, inner, blockSize, perChannel: false, scales, zeroPoints, destination, signed: true, KernelIsaSelector.Best);

    /// <summary>Dequantizes uint8 per block of <c>[outer, axisLength, inner]</c>.</summary>
    public static void DequantizePerBlock(ReadOnlySpan<byte> quantized, int outer, int axisLength, int inner, int blockSize, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination) =>
        DequantizeGrouped(quantized, outer, axisLength, inner, blockSize, perChannel: false, scales, zeroPoints, destination, signed: false, KernelIsaSelector.Best);

    // ---- internal entry points with an explicit ISA (tests run every path) ----

    internal static void Quantize(ReadOnlySpan<float> values, float scale, int zeroPoint, Span<sbyte> destination, KernelIsa isa) =>
        Quantize(values, scale, zeroPoint, MemoryMarshal.AsBytes(destination), QuantizedType.Int8, isa);

    internal static void Quantize(ReadOnlySpan<float> values, float scale, int zeroPoint, Span<byte> destination, KernelIsa isa) =>
        Quantize(values, scale, zeroPoint, destination, QuantizedType.UInt8, isa);

    internal static void Quantize(ReadOnlySpan<float> values, float scale, int zeroPoint, Span<byte> destination, QuantizedType type, KernelIsa isa)
    {
        if (destination.Length < values.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        var (lo, hi) = QuantizationParameters.StorageRange(type);
        AffineKernels.Quantize(values, scale, zeroPoint, lo, hi, destination, isa);
    }

    internal static void QuantizePerChannel(ReadOnlySpan<float> values, int outer, int channels, int inner, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<byte> destination, QuantizedType type, KernelIsa isa) =>
        QuantizeGrouped(values, outer, channels, inner, 1, perChannel: true, scales, zeroPoints, destination, type, isa);

    internal static void QuantizePerBlock(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<byte> destination, QuantizedType type, KernelIsa isa)
    {
        ThrowHelper.CheckBlockSize(blockSize, nameof(blockSize));
        QuantizeGrouped(values, outer, axisLength, inner, blockSize, perChannel: false, scales, zeroPoints, destination, type, isa);
    }

    internal static void QuantizeTensorPerChannel(ReadOnlySpan<float> values, int outer, int channels, int inner, bool symmetric, bool reduceRange, Span<float> scales, Span<int> zeroPoints, Span<byte> destination, QuantizedType type, KernelIsa isa)
    {
        ThrowHelper.CheckShape(values.Length, outer, channels, inner, nameof(values));
        if (scales.Length < channels)
        {
            ThrowHelper.DestinationTooShort(nameof(scales));
        }

        if (zeroPoints.Length < channels)
        {
            ThrowHelper.DestinationTooShort(nameof(zeroPoints));
        }

        float[] rented = ArrayPool<float>.Shared.Rent(2 * channels);
        try
        {
            Span<float> min = rented.AsSpan(0, channels);
            Span<float> max = rented.AsSpan(channels, channels);
            if (outer == 0 || inner == 0)
            {
                // Channels without elements: ORT's empty-tensor rule (scale 1, zero point 0).
                scales[..channels].Fill(1f);
                zeroPoints[..channels].Clear();
            }
            else
            {
                RangeKernels.MinMaxPerChannel(values, outer, channels, inner, min, max, isa);
                QuantizationParameters.Compute(min, max, type, symmetric, reduceRange, scales, zeroPoints);
            }

            QuantizeGrouped(values, outer, channels, inner, 1, perChannel: true, scales[..channels], zeroPoints[..channels], destination, type, isa);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    internal static void Dequantize(ReadOnlySpan<byte> quantized, float scale, int zeroPoint, Span<float> destination, bool signed, KernelIsa isa)
    {
        if (destination.Length < quantized.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        AffineKernels.Dequantize(quantized, scale, zeroPoint, destination, signed, isa);
    }

    /// <summary>
    /// Shared shape walk of per-channel (block size 1 over the channel axis) and per-block quantization:
    /// the work is cut into contiguous runs that share one parameter pair, or that use a row of them.
    /// </summary>
    internal static void QuantizeGrouped(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, bool perChannel, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<byte> destination, QuantizedType type, KernelIsa isa)
    {
        ThrowHelper.CheckShape(values.Length, outer, axisLength, inner, nameof(values));
        int blocks = RangeKernels.BlockCount(axisLength, blockSize);
        int parameterCount = perChannel ? axisLength : outer * blocks * inner;
        if (scales.Length != parameterCount)
        {
            ThrowHelper.LengthMismatch(nameof(scales));
        }

        if (zeroPoints.Length != parameterCount)
        {
            ThrowHelper.LengthMismatch(nameof(zeroPoints));
        }

        if (destination.Length < values.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        var (lo, hi) = QuantizationParameters.StorageRange(type);
        if (perChannel && inner == 1)
        {
            // Channels are the contiguous axis: strips of channels keep their parameters in registers.
            float[] zeroPointFloats = ArrayPool<float>.Shared.Rent(Math.Max(1, axisLength));
            try
            {
                for (int c = 0; c < axisLength; c++)
                {
                    zeroPointFloats[c] = zeroPoints[c];
                }

                ChannelStrips.Quantize(values, outer, axisLength, scales, zeroPointFloats.AsSpan(0, axisLength), lo, hi, destination, isa);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(zeroPointFloats);
            }

            return;
        }

        for (int o = 0; o < outer; o++)
        {
            for (int a = 0; a < axisLength; a++)
            {
                int row = ((o * axisLength) + a) * inner;
                ReadOnlySpan<float> source = values.Slice(row, inner);
                Span<byte> target = destination.Slice(row, inner);
                if (perChannel)
                {
                    AffineKernels.Quantize(source, scales[a], zeroPoints[a], lo, hi, target, isa);
                }
                else if (inner == 1)
                {
                    // Contiguous blocks: quantize a whole block with its one parameter pair.
                    if (a % blockSize == 0)
                    {
                        int length = Math.Min(blockSize, axisLength - a);
                        int p = (o * blocks) + (a / blockSize);
                        AffineKernels.Quantize(values.Slice(row, length), scales[p], zeroPoints[p], lo, hi, destination.Slice(row, length), isa);
                    }
                }
                else
                {
                    int p = ((o * blocks) + (a / blockSize)) * inner;
                    AffineKernels.QuantizeRow(source, scales.Slice(p, inner), zeroPoints.Slice(p, inner), lo, hi, target, isa);
                }
            }
        }
    }

    internal static void DequantizeGrouped(ReadOnlySpan<byte> quantized, int outer, int axisLength, int inner, int blockSize, bool perChannel, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination, bool signed, KernelIsa isa)
    {
        ThrowHelper.CheckBlockSize(blockSize, nameof(blockSize));
        ThrowHelper.CheckShape(quantized.Length, outer, axisLength, inner, nameof(quantized));
        int blocks = RangeKernels.BlockCount(axisLength, blockSize);
        int parameterCount = perChannel ? axisLength : outer * blocks * inner;
        if (scales.Length != parameterCount)
        {
            ThrowHelper.LengthMismatch(nameof(scales));
        }

        if (zeroPoints.Length != parameterCount)
        {
            ThrowHelper.LengthMismatch(nameof(zeroPoints));
        }

        if (destination.Length < quantized.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        if (perChannel && inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                int row = o * axisLength;
                AffineKernels.DequantizeRow(quantized.Slice(row, axisLength), scales, zeroPoints, destination.Slice(row, axisLength), signed, isa);
            }

            return;
        }

        for (int o = 0; o < outer; o++)
        {
            for (int a = 0; a < axisLength; a++)
            {
                int row = ((o * axisLength) + a) * inner;
                ReadOnlySpan<byte> source = quantized.Slice(row, inner);
                Span<float> target = destination.Slice(row, inner);
                if (perChannel)
                {
                    AffineKernels.Dequantize(source, scales[a], zeroPoints[a], target, signed, isa);
                }
                else
                {
                    int p = ((o * blocks) + (a / blockSize)) * inner;
                    if (inner == 1)
                    {
                        AffineKernels.Dequantize(source, scales[p], zeroPoints[p], target, signed, isa);
                    }
                    else
                    {
                        AffineKernels.DequantizeRow(source, scales.Slice(p, inner), zeroPoints.Slice(p, inner), target, signed, isa);
                    }
                }
            }
        }
    }
}
