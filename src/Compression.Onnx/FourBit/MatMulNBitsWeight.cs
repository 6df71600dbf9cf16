using System.Buffers;
using Compression.Kernels;

namespace Compression.Onnx.FourBit;

/// <summary>
/// A <c>[K, N]</c> weight in ONNX Runtime's <c>MatMulNBits</c> layout (bits 4): <see cref="Packed"/>
/// <c>[N, blocks, blockSize / 2]</c> (low nibble first, padding past K set to the zero point),
/// <see cref="Scales"/> <c>[N, blocks]</c>, and for the asymmetric form <see cref="ZeroPoints"/>
/// <c>[N, ceil(blocks / 2)]</c> (uint4 packed the same way); the symmetric form has none (the operator's default 8).
/// </summary>
internal sealed class MatMulNBitsWeight
{
    /// <summary>Columns quantized per parallel work item; also the transposition tile width (256 contiguous bytes a row of B).</summary>
    private const int ColumnsPerChunk = 64;

    private MatMulNBitsWeight(int k, int n, int blockSize, bool symmetric)
    {
        K = k;
        N = n;
        BlockSize = blockSize;
        Blocks = (k + blockSize - 1) / blockSize;
        Packed = new byte[(long)n * Blocks * (blockSize / 2)];
        Scales = new float[(long)n * Blocks];
        ZeroPoints = symmetric ? null : new byte[(long)n * ZeroPointRowBytes];
    }

    public int K { get; }

    public int N { get; }

    public int BlockSize { get; }

    public int Blocks { get; }

    /// <summary>Bytes of one column's packed zero points.</summary>
    public int ZeroPointRowBytes => (Blocks + 1) / 2;

    public byte[] Packed { get; }

    public float[] Scales { get; }

    public byte[]? ZeroPoints { get; }

    /// <summary>
    /// Quantizes a weight. <paramref name="columnMajor"/> says <paramref name="weight"/> is <c>[N, K]</c> (a Gemm
    /// with <c>transB=1</c>, or embedding rows) rather than the MatMul layout <c>[K, N]</c>.
    /// </summary>
    public static MatMulNBitsWeight Quantize(float[] weight, int k, int n, bool columnMajor, int blockSize, bool symmetric, bool search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Length != (long)k * n)
        {
            throw new ArgumentException($"The weight has {weight.Length} values, not K * N = {(long)k * n}.", nameof(weight));
        }

        var result = new MatMulNBitsWeight(k, n, blockSize, symmetric);
        int chunks = (n + ColumnsPerChunk - 1) / ColumnsPerChunk;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        if ((long)k * n < 1 << 16)
        {
            parallel.MaxDegreeOfParallelism = 1;
        }

        Parallel.For(0, chunks, parallel, chunk => result.QuantizeColumns(weight, columnMajor, chunk * ColumnsPerChunk, Math.Min(n, (chunk + 1) * ColumnsPerChunk), symmetric, search));
        return result;
    }

    /// <summary>The weight as the operator sees it, <c>[K, N]</c> row-major: <c>(q - zp) * scale</c>.</summary>
    public float[] Dequantize()
    {
        var weight = new float[(long)K * N];
        BlockQuantizer4Bit.DequantizeMatMulNBits(Packed, Scales, ZeroPoints ?? [], K, N, BlockSize, weight);
        return weight;
    }

    private void QuantizeColumns(float[] weight, bool columnMajor, int first, int end, bool symmetric, bool search)
    {
        int blockBytes = BlockSize / 2;
        int width = end - first;
        int scratchLength = ((BlockSize + 7) & ~7) + (columnMajor ? 0 : width * BlockSize);
        float[] scratch = ArrayPool<float>.Shared.Rent(scratchLength);
        try
        {
            Span<float> blockScratch = scratch.AsSpan(0, BlockSize);
            Span<float> band = columnMajor ? default : scratch.AsSpan(BlockSize, width * BlockSize);
            for (int b = 0; b < Blocks; b++)
            {
                int start = b * BlockSize;
                int length = Math.Min(BlockSize, K - start);
                if (!columnMajor)
                {
                    // Gather this K-band of the columns (`length` rows of `width` contiguous floats) into a small
                    // column-major tile that stays in L1, so each column's block is contiguous.
                    for (int r = 0; r < length; r++)
                    {
                        ReadOnlySpan<float> row = weight.AsSpan(((start + r) * N) + first, width);
                        for (int c = 0; c < width; c++)
                        {
                            band[(c * BlockSize) + r] = row[c];
                        }
                    }
                }

                for (int col = first; col < end; col++)
                {
                    ReadOnlySpan<float> values = columnMajor
                        ? weight.AsSpan((col * K) + start, length)
                        : band.Slice((col - first) * BlockSize, length);
                    var (scale, zeroPoint) = NibbleBlocks.Quantize(
                        values,
                        symmetric,
                        search,
                        blockScratch,
                        Packed.AsSpan((int)((((long)col * Blocks) + b) * blockBytes), blockBytes));
                    Scales[(col * Blocks) + b] = scale;
                    if (ZeroPoints is not null)
                    {
                        ZeroPoints[(col * ZeroPointRowBytes) + (b >> 1)] |= (byte)(zeroPoint << ((b & 1) << 2));
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }
}
