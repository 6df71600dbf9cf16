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
    /// <summary>Columns quantized per parallel work item (and per transposition tile).</summary>
    private const int ColumnsPerChunk = 32;

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
        int scratchLength = ((BlockSize + 7) & ~7) + (columnMajor ? 0 : (end - first) * K);
        float[] scratch = ArrayPool<float>.Shared.Rent(scratchLength);
        try
        {
            Span<float> blockScratch = scratch.AsSpan(0, BlockSize);
            Span<float> tile = columnMajor ? default : scratch.AsSpan(BlockSize, (end - first) * K);
            if (!columnMajor)
            {
                // Transpose the tile of columns once: rows of B are read contiguously, `end - first` floats at a time.
                int width = end - first;
                for (int row = 0; row < K; row++)
                {
                    ReadOnlySpan<float> source = weight.AsSpan((row * N) + first, width);
                    for (int c = 0; c < width; c++)
                    {
                        tile[(c * K) + row] = source[c];
                    }
                }
            }

            for (int col = first; col < end; col++)
            {
                ReadOnlySpan<float> column = columnMajor ? weight.AsSpan(col * K, K) : tile.Slice((col - first) * K, K);
                for (int b = 0; b < Blocks; b++)
                {
                    int start = b * BlockSize;
                    var (scale, zeroPoint) = NibbleBlocks.Quantize(
                        column.Slice(start, Math.Min(BlockSize, K - start)),
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
