namespace Compression.Kernels.Range;

internal static unsafe class ParallelRange
{
    public static (float Min, float Max) MinMax(ReadOnlySpan<float> values, KernelIsa isa)
    {
        if (!ParallelChunks.IsWorthSplitting(values.Length))
        {
            return RangeKernels.MinMax(values, isa);
        }

        var mins = new float[ParallelChunks.ChunkCount(values.Length)];
        var maxs = new float[mins.Length];
        fixed (float* pointer = values)
        {
            nint address = (nint)pointer;
            ParallelChunks.For(values.Length, (c, start, count) =>
            {
                var chunk = new ReadOnlySpan<float>((float*)address + start, count);
                (mins[c], maxs[c]) = RangeReduction.MinMax(chunk, isa);
            });
        }

        float min = mins[0], max = maxs[0];
        for (int c = 1; c < mins.Length; c++)
        {
            min = Math.Min(min, mins[c]);
            max = Math.Max(max, maxs[c]);
        }

        return (min, max);
    }

    public static float AbsMax(ReadOnlySpan<float> values, KernelIsa isa)
    {
        if (!ParallelChunks.IsWorthSplitting(values.Length))
        {
            return RangeKernels.AbsMax(values, isa);
        }

        var partial = new float[ParallelChunks.ChunkCount(values.Length)];
        fixed (float* pointer = values)
        {
            nint address = (nint)pointer;
            ParallelChunks.For(values.Length, (c, start, count) =>
                partial[c] = RangeReduction.AbsMax(new ReadOnlySpan<float>((float*)address + start, count), isa));
        }

        float max = partial[0];
        for (int c = 1; c < partial.Length; c++)
        {
            max = Math.Max(max, partial[c]);
        }

        return max;
    }
}
