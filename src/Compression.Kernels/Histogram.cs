namespace Compression.Kernels;

/// <summary>
/// A fixed-bin histogram over [<see cref="Min"/>, <see cref="Max"/>] for calibration (entropy or percentile
/// methods): <see cref="BinCount"/> equal bins, the last one closed on the right as in numpy's <c>histogram</c>.
/// Values outside the range are counted in <see cref="Underflow"/>/<see cref="Overflow"/> and NaN in
/// <see cref="NaNCount"/>, so nothing is silently dropped.
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
    public void Add(ReadOnlySpan<float> values)
    {
        long under = 0, over = 0, nan = 0;
        int last = BinCount - 1;
        double min = Min;
        foreach (float v in values)
        {
            if (v >= Min && v <= Max)
            {
                int bin = (int)((v - min) * _binsPerUnit);
                _counts[Math.Min(bin, last)]++;
            }
            else if (v < Min)
            {
                under++;
            }
            else if (v > Max)
            {
                over++;
            }
            else
            {
                nan++;
            }
        }

        Underflow += under;
        Overflow += over;
        NaNCount += nan;
        InRangeCount += values.Length - under - over - nan;
    }

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
