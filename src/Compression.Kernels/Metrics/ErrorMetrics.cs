namespace Compression.Kernels;

/// <summary>Error metrics between two tensors in one pass (sums in double).</summary>
/// <remarks>
/// NaN policy: a NaN in either tensor makes every metric NaN. The input is summed in fixed chunks combined in
/// order, so <see cref="CompareParallel"/> returns exactly the serial result.
/// </remarks>
public static class ErrorMetrics
{
    /// <summary>Max |d|, MSE, SQNR (dB) and cosine similarity of <paramref name="actual"/> against <paramref name="reference"/>.</summary>
    public static ErrorStatistics Compare(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual) =>
        Compare(reference, actual, KernelIsaSelector.Best);

    /// <summary><see cref="Compare(ReadOnlySpan{float}, ReadOnlySpan{float})"/> split over all cores (identical result).</summary>
    public static unsafe ErrorStatistics CompareParallel(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual)
    {
        CheckLengths(reference, actual);
        if (!ParallelChunks.IsWorthSplitting(reference.Length))
        {
            return Compare(reference, actual);
        }

        KernelIsa isa = KernelIsaSelector.Best;
        var partial = new ErrorSums[ParallelChunks.ChunkCount(reference.Length)];
        fixed (float* r = reference)
        fixed (float* a = actual)
        {
            nint ra = (nint)r, aa = (nint)a;
            ParallelChunks.For(reference.Length, (c, start, count) =>
                partial[c] = Sums.Error(new ReadOnlySpan<float>((float*)ra + start, count), new ReadOnlySpan<float>((float*)aa + start, count), isa));
        }

        var total = default(ErrorSums);
        foreach (var p in partial)
        {
            total.Add(p);
        }

        return Finish(total);
    }

    internal static ErrorStatistics Compare(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual, KernelIsa isa)
    {
        CheckLengths(reference, actual);
        var total = default(ErrorSums);
        for (int start = 0; start < reference.Length; start += ParallelChunks.ChunkLength)
        {
            int count = Math.Min(ParallelChunks.ChunkLength, reference.Length - start);
            total.Add(Sums.Error(reference.Slice(start, count), actual.Slice(start, count), isa));
        }

        return Finish(total);
    }

    private static void CheckLengths(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual)
    {
        if (reference.Length != actual.Length)
        {
            ThrowHelper.LengthMismatch(nameof(actual));
        }
    }

    private static ErrorStatistics Finish(in ErrorSums s)
    {
        if (s.Count == 0)
        {
            return new ErrorStatistics(0, 0, 0, double.PositiveInfinity, 1);
        }

        double mse = s.SquaredError / s.Count;
        double sqnr = s.SquaredError == 0 ? double.PositiveInfinity : 10 * Math.Log10(s.SquaredReference / s.SquaredError);
        double cosine = s.SquaredReference == 0 && s.SquaredActual == 0
            ? 1
            : s.SquaredReference == 0 || s.SquaredActual == 0
                ? 0
                : s.Dot / Math.Sqrt(s.SquaredReference * s.SquaredActual);
        if (double.IsNaN(s.SquaredError) || double.IsNaN(s.Dot))
        {
            return new ErrorStatistics(s.Count, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        return new ErrorStatistics(s.Count, s.MaxAbsolute, mse, sqnr, cosine);
    }
}
