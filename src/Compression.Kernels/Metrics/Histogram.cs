namespace Compression.Kernels;

/// <summary>
/// A fixed-bin histogram over [<see cref="Min"/>, <see cref="Max"/>] for calibration (entropy or percentile
/// methods): <see cref="BinCount"/> equal bins, the last one closed on the right as in numpy's <c>histogram</c>.
/// Values outside the range are counted in <see cref="Underflow"/>/<see cref="Overflow"/> and NaN in
/// <see cref="NaNCount"/>, so nothing is silently dropped. Not thread-safe: give each thread its own histogram and
/// <see cref="Merge"/> them (integer counts, so the result does not depend on the split).
/// </summary>
public sealed class Histogram
{
    private readonly long[] _counts;
    private readonly double _binsPerUnit;

    /// <summary>Creates an empty histogram.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No bins, or a range that is not finite and increasing.</exception>
    public Histogram(int binCount, float min, float max)
    {
        if (binCount <= 0)
        {
            ThrowHelper.OutOfRange(nameof(binCount), "A histogram needs at least one bin.");
        }

        if (!float.IsFinite(min) || !float.IsFinite(max) || !(max > min))
        {
            ThrowHelper.OutOfRange(nameof(max), "The range must be finite with max > min.");
        }

        BinCount = binCount;
        Min = min;
        Max = max;
        _counts = new long[binCount];
        _binsPerUnit = binCount / ((double)max - min);
    }

    /// <summary>Number of bins.</summary>
    public int BinCount { get; }

    /// <summary>Left edge of the first bin.</summary>
    public float Min { get; }

    /// <summary>Right edge of the last bin (included).</summary>
    public float Max { get; }

    /// <summary>Counts per bin.</summary>
    public ReadOnlySpan<long> Counts => _counts;

    /// <summary>Values below <see cref="Min"/> (including -infinity).</summary>
    public long Underflow { get; private set; }

    /// <summary>Values above <see cref="Max"/> (including +infinity).</summary>
    public long Overflow { get; private set; }

    /// <summary>NaN values seen.</summary>
    public long NaNCount { get; private set; }

    /// <summary>Values counted in the bins.</summary>
    public long InRangeCount { get; private set; }

    /// <summary>Left edge of <paramref name="bin"/> (<c>bin == BinCount</c> gives <see cref="Max"/>).</summary>
    public double BinEdge(int bin) => bin == BinCount ? Max : Min + (bin / _binsPerUnit);

    /// <summary>Counts <paramref name="values"/>.</summary>
    public void Add(ReadOnlySpan<float> values) => Add(values, KernelIsaSelector.Best);

    internal void Add(ReadOnlySpan<float> values, KernelIsa isa)
    {
        // Bin indices are computed a chunk at a time (vectorised), then counted into 4 interleaved copies of the
        // counts so that runs of equal bins (common: weights cluster near 0) do not serialise on one counter.
        const int Chunk = 1024;
        const int Copies = 4;
        int slots = BinCount + 3;
        Span<int> indices = stackalloc int[Chunk];
        int[] rented = System.Buffers.ArrayPool<int>.Shared.Rent(Copies * slots);
        Span<int> counts = rented.AsSpan(0, Copies * slots);
        try
        {
            // int counters are safe: they are flushed to the long totals every 2^28 values.
            const int Flush = 1 << 28;
            for (int start = 0; start < values.Length; start += Flush)
            {
                counts.Clear();
                ReadOnlySpan<float> part = values.Slice(start, Math.Min(Flush, values.Length - start));
                for (int offset = 0; offset < part.Length; offset += Chunk)
                {
                    ReadOnlySpan<float> chunk = part.Slice(offset, Math.Min(Chunk, part.Length - offset));
                    Span<int> bins = indices[..chunk.Length];
                    HistogramBins.Compute(chunk, Min, Max, _binsPerUnit, BinCount, bins, isa);
                    int i = 0;
                    for (; i + Copies <= bins.Length; i += Copies)
                    {
                        counts[bins[i]]++;
                        counts[slots + bins[i + 1]]++;
                        counts[(2 * slots) + bins[i + 2]]++;
                        counts[(3 * slots) + bins[i + 3]]++;
                    }

                    for (; i < bins.Length; i++)
                    {
                        counts[bins[i]]++;
                    }
                }

                long inRange = 0;
                for (int b = 0; b < BinCount; b++)
                {
                    long c = (long)counts[b] + counts[slots + b] + counts[(2 * slots) + b] + counts[(3 * slots) + b];
                    _counts[b] += c;
                    inRange += c;
                }

                Underflow += Slot(counts, slots, BinCount);
                Overflow += Slot(counts, slots, BinCount + 1);
                NaNCount += Slot(counts, slots, BinCount + 2);
                InRangeCount += inRange;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(rented);
        }
    }

    private static long Slot(ReadOnlySpan<int> counts, int slots, int b) =>
        (long)counts[b] + counts[slots + b] + counts[(2 * slots) + b] + counts[(3 * slots) + b];

    /// <summary>Adds the counts of <paramref name="other"/>, which must have the same bins and range.</summary>
    public void Merge(Histogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.BinCount != BinCount || other.Min != Min || other.Max != Max)
        {
            ThrowHelper.Argument(nameof(other), "Histograms merge only with the same bin count and range.");
        }

        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Underflow += other.Underflow;
        Overflow += other.Overflow;
        NaNCount += other.NaNCount;
        InRangeCount += other.InRangeCount;
    }
}
