using System.Buffers;
using System.Runtime.CompilerServices;

namespace Compression.Kernels;

/// <summary>
/// MatMulNBits (4-bit) quantization in MLAS's conventions; see <see cref="BlockQuantizer4Bit"/> for the layout.
/// Work is done one K-band of <c>blockSize</c> rows at a time: the band is transposed into a small
/// column-major scratch (<c>[N, blockSize]</c> chunks), so every block is a contiguous run.
/// </summary>
internal static partial class MatMulNBitsKernels
{
    /// <summary>Clip ratios tried by <see cref="BlockScaleRule.ClipSearch"/>: 1.00 down to 0.62 in steps of 0.02.</summary>
    internal const int ClipCandidates = 20;

    public static void Quantize(ReadOnlySpan<float> weight, int k, int n, int blockSize, bool symmetric, Span<byte> packed, Span<float> scales, Span<byte> zeroPoints, BlockScaleRule rule, KernelIsa isa)
    {
        int blocks = CheckShape(weight.Length, k, n, blockSize);
        int blockBytes = blockSize / 2;
        if (packed.Length < (long)n * blocks * blockBytes)
        {
            ThrowHelper.DestinationTooShort(nameof(packed));
        }

        if (scales.Length < (long)n * blocks)
        {
            ThrowHelper.DestinationTooShort(nameof(scales));
        }

        int zeroPointRow = (blocks + 1) / 2;
        if (symmetric ? !zeroPoints.IsEmpty : zeroPoints.Length < (long)n * zeroPointRow)
        {
            ThrowHelper.Argument(nameof(zeroPoints), symmetric
                ? "Symmetric MatMulNBits quantization writes no zero points: pass an empty span."
                : "Zero points need N * ceil(blocks / 2) bytes.");
        }

        if (rule is not BlockScaleRule.MinMax and not BlockScaleRule.ClipSearch)
        {
            ThrowHelper.OutOfRange(nameof(rule), "Unknown block scale rule.");
        }

        if (!symmetric)
        {
            zeroPoints[..(n * zeroPointRow)].Clear();
        }

        if (isa == KernelIsa.Scalar)
        {
            QuantizeColumns(weight, k, n, blockSize, blocks, symmetric, packed, scales, zeroPoints, rule);
        }
        else
        {
            QuantizeBands(weight, k, n, blockSize, blocks, symmetric, packed, scales, zeroPoints, rule, isa);
        }
    }

    /// <summary>The scalar reference: one column block at a time, gathered with stride N.</summary>
    private static void QuantizeColumns(ReadOnlySpan<float> weight, int k, int n, int blockSize, int blocks, bool symmetric, Span<byte> packed, Span<float> scales, Span<byte> zeroPoints, BlockScaleRule rule)
    {
        int blockBytes = blockSize / 2;
        int zeroPointRow = (blocks + 1) / 2;
        Span<float> block = stackalloc float[blockSize];
        for (int b = 0; b < blocks; b++)
        {
            int start = b * blockSize;
            int length = Math.Min(blockSize, k - start);
            for (int col = 0; col < n; col++)
            {
                Span<float> values = block[..length];
                GatherColumn(weight, n, start, col, values);
                var (scale, zp) = rule == BlockScaleRule.ClipSearch
                    ? SearchParameters(values, symmetric)
                    : Parameters(values, symmetric, 1f);
                scales[(col * blocks) + b] = scale;
                if (!symmetric)
                {
                    zeroPoints[(col * zeroPointRow) + (b >> 1)] |= (byte)(zp << ((b & 1) << 2));
                }

                Span<byte> target = packed.Slice(((col * blocks) + b) * blockBytes, blockBytes);
                target.Clear();
                QuantizeBlock(values, scale, zp, target);
            }
        }
    }

    /// <summary>
    /// The vector path: one band of <c>blockSize</c> rows of B at a time. Rows are contiguous over N, so the range,
    /// the quantization and the nibble packing all run along N with one lane per column; only the final
    /// [blockSize/2, N] to [N, blockSize/2] byte transpose is scalar. The band stays in cache between its two reads.
    /// </summary>
    private static void QuantizeBands(ReadOnlySpan<float> weight, int k, int n, int blockSize, int blocks, bool symmetric, Span<byte> packed, Span<float> scales, Span<byte> zeroPoints, BlockScaleRule rule, KernelIsa isa)
    {
        int blockBytes = blockSize / 2;
        int zeroPointRow = (blocks + 1) / 2;
        float[] floatScratch = ArrayPool<float>.Shared.Rent(Math.Max(1, 4 * n));
        byte[] byteScratch = ArrayPool<byte>.Shared.Rent(Math.Max(1, (blockSize + blockBytes) * n));
        try
        {
            Span<float> min = floatScratch.AsSpan(0, n);
            Span<float> max = floatScratch.AsSpan(n, n);
            Span<float> reciprocal = floatScratch.AsSpan(2 * n, n);
            Span<float> zeroPoint = floatScratch.AsSpan(3 * n, n);
            Span<byte> tile = byteScratch.AsSpan(0, blockSize * n);
            Span<byte> combined = byteScratch.AsSpan(blockSize * n, blockBytes * n);
            Span<float> column = stackalloc float[blockSize];
            for (int b = 0; b < blocks; b++)
            {
                int start = b * blockSize;
                int rows = Math.Min(blockSize, k - start);
                min.Fill(float.MaxValue);
                max.Fill(-float.MaxValue);
                for (int r = 0; r < rows; r++)
                {
                    FoldRange(weight.Slice((start + r) * n, n), min, max, isa);
                }

                if (rule == BlockScaleRule.ClipSearch)
                {
                    for (int c = 0; c < n; c++)
                    {
                        GatherColumn(weight, n, start, c, column[..rows]);
                        var (scale, zp) = SearchParameters(column[..rows], symmetric);
                        min[c] = scale;
                        reciprocal[c] = scale != 0f ? 1f / scale : 0f;
                        zeroPoint[c] = zp;
                    }
                }
                else
                {
                    // Overwrites min with the scales.
                    ComputeParameters(min, max, symmetric, reciprocal, zeroPoint, isa);
                }

                for (int c = 0; c < n; c++)
                {
                    scales[(c * blocks) + b] = min[c];
                    if (!symmetric)
                    {
                        zeroPoints[(c * zeroPointRow) + (b >> 1)] |= (byte)((int)zeroPoint[c] << ((b & 1) << 2));
                    }
                }

                for (int r = 0; r < rows; r++)
                {
                    QuantizeRow(weight.Slice((start + r) * n, n), reciprocal, zeroPoint, tile.Slice(r * n, n), isa);
                }

                // Padding rows past K pack as 0.
                tile[(rows * n)..].Clear();
                for (int j = 0; j < blockBytes; j++)
                {
                    CombineNibbles(tile.Slice(2 * j * n, n), tile.Slice(((2 * j) + 1) * n, n), combined.Slice(j * n, n), isa);
                }

                ByteTranspose.Transpose(combined, blockBytes, n, packed[(b * blockBytes)..], blocks * blockBytes, isa);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floatScratch);
            ArrayPool<byte>.Shared.Return(byteScratch);
        }
    }

    private static void GatherColumn(ReadOnlySpan<float> weight, int n, int start, int column, Span<float> values)
    {
        for (int r = 0; r < values.Length; r++)
        {
            values[r] = weight[((start + r) * n) + column];
        }
    }

    public static void Dequantize(ReadOnlySpan<byte> packed, ReadOnlySpan<float> scales, ReadOnlySpan<byte> zeroPoints, int k, int n, int blockSize, Span<float> weight, KernelIsa isa)
    {
        int blocks = CheckShape(weight.Length < (long)k * n ? -1 : k * n, k, n, blockSize);
        int blockBytes = blockSize / 2;
        int zeroPointRow = (blocks + 1) / 2;
        if (packed.Length < (long)n * blocks * blockBytes)
        {
            ThrowHelper.LengthMismatch(nameof(packed));
        }

        if (scales.Length < (long)n * blocks)
        {
            ThrowHelper.LengthMismatch(nameof(scales));
        }

        if (!zeroPoints.IsEmpty && zeroPoints.Length < (long)n * zeroPointRow)
        {
            ThrowHelper.LengthMismatch(nameof(zeroPoints));
        }

        for (int col = 0; col < n; col++)
        {
            for (int b = 0; b < blocks; b++)
            {
                float scale = scales[(col * blocks) + b];
                int zp = zeroPoints.IsEmpty ? 8 : (zeroPoints[(col * zeroPointRow) + (b >> 1)] >> ((b & 1) << 2)) & 0xF;
                ReadOnlySpan<byte> source = packed.Slice(((col * blocks) + b) * blockBytes, blockBytes);
                int start = b * blockSize;
                int length = Math.Min(blockSize, k - start);
                for (int r = 0; r < length; r++)
                {
                    int q = (source[r >> 1] >> ((r & 1) << 2)) & 0xF;
                    weight[((start + r) * n) + col] = (q - zp) * scale;
                }
            }
        }

        _ = isa;
    }

    /// <summary>MLAS <c>range2scale</c>/<c>range2scalezp</c> on the block's range shrunk by <paramref name="ratio"/>.</summary>
    internal static (float Scale, int ZeroPoint) Parameters(ReadOnlySpan<float> values, bool symmetric, float ratio)
    {
        // MLAS scans with `<`/`>` from +/-FLT_MAX, so NaN never enters the range.
        float min = float.MaxValue;
        float max = -float.MaxValue;
        foreach (float v in values)
        {
            if (v < min)
            {
                min = v;
            }

            if (v > max)
            {
                max = v;
            }
        }

        return FromRange(min * ratio, max * ratio, symmetric);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (float Scale, int ZeroPoint) FromRange(float min, float max, bool symmetric)
    {
        if (symmetric)
        {
            float m = Math.Abs(max) > Math.Abs(min) ? max : min;
            return (m / -8f, 8);
        }

        // std::min(min, 0.0f) / std::max(max, 0.0f) exactly, including which zero survives.
        min = 0f < min ? 0f : min;
        max = max < 0f ? 0f : max;
        float scale = (max - min) / 15f;
        float zeroPoint = min;
        if (scale != 0f)
        {
            zeroPoint = 0f - (min / scale);
        }

        int zp = zeroPoint < 0f ? 0 : zeroPoint > 15f ? 15 : (int)MathF.Round(zeroPoint, MidpointRounding.AwayFromZero);
        return (scale, zp);
    }

    /// <summary>One element, as MLAS: <c>clamp(roundf(x * reciprocal + zp), 0, 15)</c>; NaN goes to the zero point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int QuantizeOne(float x, float reciprocal, int zeroPoint)
    {
        float v = x * reciprocal;
        v += zeroPoint;
        if (float.IsNaN(v))
        {
            return zeroPoint;
        }

        v = MathF.Round(v, MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(v, 0f, 15f);
    }

    internal static void QuantizeBlock(ReadOnlySpan<float> values, float scale, int zeroPoint, Span<byte> target)
    {
        float reciprocal = scale != 0f ? 1f / scale : 0f;
        for (int r = 0; r < values.Length; r++)
        {
            target[r >> 1] |= (byte)(QuantizeOne(values[r], reciprocal, zeroPoint) << ((r & 1) << 2));
        }
    }

    /// <summary>The clip ratio (and so scale and zero point) with the least squared error over the block.</summary>
    internal static (float Scale, int ZeroPoint) SearchParameters(ReadOnlySpan<float> values, bool symmetric)
    {
        var best = Parameters(values, symmetric, 1f);
        double bestError = BlockError(values, best.Scale, best.ZeroPoint);
        for (int c = 1; c < ClipCandidates && bestError > 0; c++)
        {
            float ratio = 1f - (0.02f * c);
            var candidate = Parameters(values, symmetric, ratio);
            double error = BlockError(values, candidate.Scale, candidate.ZeroPoint);
            if (error < bestError)
            {
                best = candidate;
                bestError = error;
            }
        }

        return best;
    }

    /// <summary>Sum of squared dequantization errors of the block (NaN elements skipped).</summary>
    internal static double BlockError(ReadOnlySpan<float> values, float scale, int zeroPoint)
    {
        float reciprocal = scale != 0f ? 1f / scale : 0f;
        double sum = 0;
        foreach (float v in values)
        {
            if (float.IsNaN(v))
            {
                continue;
            }

            float d = ((QuantizeOne(v, reciprocal, zeroPoint) - zeroPoint) * scale) - v;
            sum += (double)d * d;
        }

        return sum;
    }

    private static int CheckShape(int length, int k, int n, int blockSize)
    {
        if (k < 0 || n < 0)
        {
            ThrowHelper.OutOfRange(nameof(k), "K and N must be non-negative.");
        }

        if (blockSize < 16 || (blockSize & (blockSize - 1)) != 0)
        {
            ThrowHelper.OutOfRange(nameof(blockSize), "MatMulNBits block size must be a power of two, at least 16.");
        }

        if (length != (long)k * n)
        {
            ThrowHelper.LengthMismatch("weight");
        }

        return RangeKernels.BlockCount(k, blockSize);
    }
}
