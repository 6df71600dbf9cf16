namespace Compression.Kernels.Drivers;

/// <summary>
/// Splits work over fixed-size chunks. The chunk boundaries depend only on the length (never on the
/// number of cores), and partial results are combined in chunk order, so parallel results are
/// bit-identical to the serial ones even for floating-point sums.
/// </summary>
internal static class ParallelChunks
{
    /// <summary>Elements per chunk: large enough to amortise scheduling, small enough to balance 2..64 cores.</summary>
    public const int ChunkLength = 1 << 20;

    public static int ChunkCount(long length) => (int)((length + ChunkLength - 1) / ChunkLength);

    /// <summary>Whether splitting pays off for <paramref name="length"/> elements on this machine.</summary>
    public static bool IsWorthSplitting(long length) => Environment.ProcessorCount > 1 && length >= 2L * ChunkLength;

    /// <summary>Runs <paramref name="body"/>(chunkIndex, start, count) for every chunk, in parallel.</summary>
    public static void For(long length, Action<int, long, int> body)
    {
        int chunks = ChunkCount(length);
        Parallel.For(0, chunks, c =>
        {
            long start = (long)c * ChunkLength;
            int count = (int)Math.Min(ChunkLength, length - start);
            body(c, start, count);
        });
    }
}
