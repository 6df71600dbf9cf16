using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels.FourBit;

/// <summary>
/// MatMulNBits (4-bit) quantization in MLAS's conventions; see <see cref="BlockQuantizer4Bit"/> for the layout.
/// Work is done one K-band of <c>blockSize</c> rows at a time: the band is transposed into a small
/// column-major scratch (<c>[N, blockSize]</c> chunks), so every block is a contiguous run.
/// </summary>
internal static unsafe partial class MatMulNBitsKernels
{
    /// <summary>Clip ratios tried by <see cref="BlockScaleRule.ClipSearch"/>: 1.00 down to 0.62 in steps of 0.02.</summary>
    internal const int ClipCandidates = 20;

    public static void Quantize(ReadOnlySpan<float> weight, int k, int n, int blockSize, bool symmetric, Span<byte> packed, Span<float> scales, Span<byte> zeroPoints, BlockScaleRule rule, KernelIsa isa, bool parallel = false)
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
        else if (parallel && ParallelChunks.IsWorthSplitting(weight.Length) && blocks > BandsPerTask)
        {
            QuantizeBandsParallel(weight, k, n, blockSize, blocks, symmetric, packed, scales, zeroPoints, rule, isa);
        }
        else
        {
            QuantizeBands(weight, k, n, blockSize, blocks, symmetric, packed, scales, zeroPoints, rule, 0, blocks, isa);
        }
    }

    /// <summary>Bands per parallel task: even, so two bands sharing a packed zero-point byte stay in one task.</summary>
    private const int BandsPerTask = 8;

    private static unsafe void QuantizeBandsParallel(ReadOnlySpan<float> weight, int k, int n, int blockSize, int blocks, bool symmetric, Span<byte> packed, Span<float> scales, Span<byte> zeroPoints, BlockScaleRule rule, KernelIsa isa)
    {
        int tasks = (blocks + BandsPerTask - 1) / BandsPerTask;
        fixed (float* w = weight)
        fixed (byte* p = packed)
        fixed (float* s = scales)
        fixed (byte* z = zeroPoints)
        {
            nint wa = (nint)w, pa = (nint)p, sa = (nint)s, za = (nint)z;
            int weightLength = weight.Length, packedLength = packed.Length, scaleLength = scales.Length, zeroLength = zeroPoints.Length;
            Parallel.For(0, tasks, t =>
            {
                int first = t * BandsPerTask;
                QuantizeBands(
                    new ReadOnlySpan<float>((float*)wa, weightLength), k, n, blockSize, blocks, symmetric,
                    new Span<byte>((byte*)pa, packedLength), new Span<float>((float*)sa, scaleLength), new Span<byte>((byte*)za, zeroLength),
                    rule, first, Math.Min(blocks, first + BandsPerTask), isa);
            });
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
    private static void QuantizeBands(ReadOnlySpan<float> weight, int k, int n, int blockSize, int blocks, bool symmetric, Span<byte> packed, Span<float> scales, Span<byte> zeroPoints, BlockScaleRule rule, int firstBand, int endBand, KernelIsa isa)
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
            for (int b = firstBand; b < endBand; b++)
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
                        var (scale, zp) = SearchParameters(column[..rows], symmetric, isa);
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

                ByteTranspose.Transpose(combined, n, blockBytes, n, packed[(b * blockBytes)..], blocks * blockBytes, isa);
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

        if (isa == KernelIsa.Scalar)
        {
            DequantizeColumns(packed, scales, zeroPoints, k, n, blockSize, blocks, weight);
        }
        else
        {
            DequantizeBands(packed, scales, zeroPoints, k, n, blockSize, blocks, weight, isa);
        }
    }

    /// <summary>The scalar reference: one column block at a time, written with stride N.</summary>
    private static void DequantizeColumns(ReadOnlySpan<byte> packed, ReadOnlySpan<float> scales, ReadOnlySpan<byte> zeroPoints, int k, int n, int blockSize, int blocks, Span<float> weight)
    {
        int blockBytes = blockSize / 2;
        int zeroPointRow = (blocks + 1) / 2;
        for (int col = 0; col < n; col++)
        {
            for (int b = 0; b < blocks; b++)
            {
                float scale = scales[(col * blocks) + b];
                int zp = ZeroPointOf(zeroPoints, zeroPointRow, col, b);
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
    }

    /// <summary>The vector path: per band, transpose the packed bytes back to rows over N, split the nibbles, and
    /// dequantize whole rows with per-column scale and zero point.</summary>
    private static void DequantizeBands(ReadOnlySpan<byte> packed, ReadOnlySpan<float> scales, ReadOnlySpan<byte> zeroPoints, int k, int n, int blockSize, int blocks, Span<float> weight, KernelIsa isa)
    {
        int blockBytes = blockSize / 2;
        int zeroPointRow = (blocks + 1) / 2;
        float[] floatScratch = ArrayPool<float>.Shared.Rent(Math.Max(1, 2 * n));
        byte[] byteScratch = ArrayPool<byte>.Shared.Rent(Math.Max(1, 3 * n * blockBytes));
        try
        {
            Span<float> scale = floatScratch.AsSpan(0, n);
            Span<float> zeroPoint = floatScratch.AsSpan(n, n);
            Span<byte> combined = byteScratch.AsSpan(0, blockBytes * n);
            Span<byte> levels = byteScratch.AsSpan(blockBytes * n, 2 * blockBytes * n);
            for (int b = 0; b < blocks; b++)
            {
                for (int c = 0; c < n; c++)
                {
                    scale[c] = scales[(c * blocks) + b];
                    zeroPoint[c] = ZeroPointOf(zeroPoints, zeroPointRow, c, b);
                }

                ByteTranspose.Transpose(packed[(b * blockBytes)..], blocks * blockBytes, n, blockBytes, combined, n, isa);
                int start = b * blockSize;
                int rows = Math.Min(blockSize, k - start);
                for (int j = 0; 2 * j < rows; j++)
                {
                    SplitNibbles(combined.Slice(j * n, n), levels.Slice(2 * j * n, n), levels.Slice(((2 * j) + 1) * n, n), isa);
                }

                for (int r = 0; r < rows; r++)
                {
                    DequantizeRow(levels.Slice(r * n, n), scale, zeroPoint, weight.Slice((start + r) * n, n), isa);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floatScratch);
            ArrayPool<byte>.Shared.Return(byteScratch);
        }
    }

    private static int ZeroPointOf(ReadOnlySpan<byte> zeroPoints, int zeroPointRow, int column, int block) =>
        zeroPoints.IsEmpty ? 8 : (zeroPoints[(column * zeroPointRow) + (block >> 1)] >> ((block & 1) << 2)) & 0xF;


    /// <summary>MLAS <c>range2scale</c>/<c>range2scalezp</c> on the block's range shrunk by <paramref name="ratio"/>.</summary>
    internal static (float Scale, int ZeroPoint) Parameters(ReadOnlySpan<float> values, bool symmetric, float ratio)
    {
        var (min, max) = MlasBlockRule.Range(values);
        return MlasBlockRule.ScaleAndZeroPoint(min * ratio, max * ratio, symmetric);
    }

    internal static void QuantizeBlock(ReadOnlySpan<float> values, float scale, int zeroPoint, Span<byte> target)
    {
        float reciprocal = scale != 0f ? 1f / scale : 0f;
        for (int r = 0; r < values.Length; r++)
        {
            target[r >> 1] |= (byte)(MlasBlockRule.QuantizeLevel(values[r], reciprocal, zeroPoint) << ((r & 1) << 2));
        }
    }

    /// <summary>
    /// The clip ratio (and so scale and zero point) with the least squared error over the block, then up to
    /// <see cref="RefitSteps"/> least-squares refits of the scale for the chosen levels
    /// (<c>s = sum(x (q - z)) / sum((q - z)^2)</c>), each kept only if it lowers the error.
    /// </summary>
    internal static (float Scale, int ZeroPoint) SearchParameters(ReadOnlySpan<float> values, bool symmetric, KernelIsa isa = KernelIsa.Scalar)
    {
        var (min, max) = MlasBlockRule.Range(values);
        var best = MlasBlockRule.ScaleAndZeroPoint(min, max, symmetric);
        double bestError = BlockError(values, best.Scale, best.ZeroPoint, isa);
        for (int c = 1; c < ClipCandidates && bestError > 0; c++)
        {
            float ratio = 1f - (0.02f * c);
            var candidate = MlasBlockRule.ScaleAndZeroPoint(min * ratio, max * ratio, symmetric);
            double error = BlockError(values, candidate.Scale, candidate.ZeroPoint, isa);
            if (error < bestError)
            {
                best = candidate;
                bestError = error;
            }
        }

        if (symmetric)
        {
            // MLAS maps the largest magnitude to level -8; mapping it to +7 instead (a 8/7 coarser step with no
            // clipping on the other side) is sometimes better.
            float m = best.Scale * -8f;
            for (int c = 0; c < ClipCandidates && bestError > 0; c++)
            {
                float scale = (1f - (0.02f * c)) * m / 7f;
                double error = BlockError(values, scale, 8, isa);
                if (error < bestError)
                {
                    best = (scale, 8);
                    bestError = error;
                }
            }
        }
        else
        {
            // Neighbouring zero points with the scale refitted for them.
            int center = best.ZeroPoint;
            foreach (int zp in new[] { center - 1, center + 1 })
            {
                if (zp is < 0 or > 15)
                {
                    continue;
                }

                float scale = RefitScale(values, best.Scale, zp);
                double error = float.IsFinite(scale) && scale != 0f ? BlockError(values, scale, zp, isa) : double.PositiveInfinity;
                if (error < bestError)
                {
                    best = (scale, zp);
                    bestError = error;
                }
            }
        }

        for (int step = 0; step < RefitSteps && bestError > 0; step++)
        {
            float refit = RefitScale(values, best.Scale, best.ZeroPoint);
            double error = float.IsFinite(refit) && refit != 0f ? BlockError(values, refit, best.ZeroPoint, isa) : double.PositiveInfinity;
            if (!(error < bestError))
            {
                break;
            }

            best = (refit, best.ZeroPoint);
            bestError = error;
        }

        return best;
    }

    /// <summary>Least-squares scale refits tried after the clip search.</summary>
    internal const int RefitSteps = 3;

    /// <summary>The scale minimising the squared error for the levels <paramref name="scale"/> gives (levels fixed).</summary>
    private static float RefitScale(ReadOnlySpan<float> values, float scale, int zeroPoint)
    {
        float reciprocal = scale != 0f ? 1f / scale : 0f;
        double numerator = 0, denominator = 0;
        foreach (float v in values)
        {
            if (float.IsNaN(v))
            {
                continue;
            }

            int level = MlasBlockRule.QuantizeLevel(v, reciprocal, zeroPoint) - zeroPoint;
            numerator += (double)v * level;
            denominator += (double)level * level;
        }

        return denominator == 0 ? 0f : (float)(numerator / denominator);
    }

    /// <summary>
    /// Sum of squared dequantization errors of the block (NaN elements skipped), in float over 8 interleaved lanes
    /// (element i in lane i % 8) summed in lane order at the end. The vector path (Vector256) and the scalar path
    /// do the same float operations in the same order, so every machine picks the same candidate.
    /// </summary>
    internal static double BlockError(ReadOnlySpan<float> values, float scale, int zeroPoint, KernelIsa isa = KernelIsa.Scalar)
    {
        float reciprocal = scale != 0f ? 1f / scale : 0f;
        Span<float> lanes = stackalloc float[8];
        lanes.Clear();
        int i = 0;
        if (isa is KernelIsa.Vector256 or KernelIsa.Vector512 && Vector256.IsHardwareAccelerated && values.Length >= 8)
        {
            var r = Vector256.Create(reciprocal);
            var z = Vector256.Create((float)zeroPoint);
            var s = Vector256.Create(scale);
            var sum = Vector256<float>.Zero;
            ref float x = ref MemoryMarshal.GetReference(values);
            for (; i + 8 <= values.Length; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref x, (nuint)i);
                var q = Vector256.ConvertToSingle(QuantizeMlas(v, r, z));
                var d = ((q - z) * s) - v;
                d &= Vector256.Equals(v, v);
                sum += d * d;
            }

            sum.CopyTo(lanes);
        }

        for (; i < values.Length; i++)
        {
            float v = values[i];
            if (float.IsNaN(v))
            {
                continue;
            }

            float d = ((MlasBlockRule.QuantizeLevel(v, reciprocal, zeroPoint) - zeroPoint) * scale) - v;
            lanes[i & 7] += d * d;
        }

        double total = 0;
        foreach (float lane in lanes)
        {
            total += lane;
        }

        return total;
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
