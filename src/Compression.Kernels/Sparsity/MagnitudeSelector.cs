using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Compression.Kernels;

/// <summary>
/// Magnitude selection for pruning: the exact threshold of the k smallest <c>|w|</c> in O(n) (a two-pass radix
/// histogram on the float bits, no sort), for one tensor or globally over many; masks; N:M structured masks;
/// per-channel L1/L2 norms.
/// </summary>
/// <remarks>
/// <para>Order: magnitudes compare as <c>|w|</c>, with -0 equal to +0 and NaN larger than +infinity (NaN weights
/// are pruned last). Ties are broken by position: the earlier element is pruned first, the later one kept.</para>
/// <para>Masks are bytes: 1 keeps the element, 0 prunes it.</para>
/// </remarks>
public static class MagnitudeSelector
{
    /// <summary>The cut that prunes exactly <paramref name="count"/> elements of smallest magnitude.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or above the length.</exception>
    public static MagnitudeThreshold Threshold(ReadOnlySpan<float> values, long count)
    {
        if (count < 0 || count > values.Length)
        {
            ThrowHelper.OutOfRange(nameof(count), "The count to prune must be between 0 and the number of elements.");
        }

        return RadixSelect.Select(values, count);
    }

    /// <summary>
    /// The global cut over several tensors (for example all prunable weights of a model): prunes exactly
    /// <paramref name="count"/> elements in total; ties are pruned in list order, then index order.
    /// </summary>
    public static MagnitudeThreshold Threshold(IReadOnlyList<ReadOnlyMemory<float>> tensors, long count)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        long total = 0;
        foreach (var t in tensors)
        {
            total += t.Length;
        }

        if (count < 0 || count > total)
        {
            ThrowHelper.OutOfRange(nameof(count), "The count to prune must be between 0 and the number of elements.");
        }

        return RadixSelect.Select(tensors, count);
    }

    /// <summary>
    /// Writes the keep mask of one tensor for <paramref name="threshold"/>; returns the ties it pruned, so a
    /// global threshold can be applied tensor by tensor (pass the remaining ties to the next tensor).
    /// </summary>
    public static long BuildMask(ReadOnlySpan<float> values, MagnitudeThreshold threshold, Span<byte> keepMask)
    {
        if (keepMask.Length < values.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(keepMask));
        }

        uint cut = Key(threshold.Magnitude);
        long ties = threshold.TiesToPrune;
        long prunedTies = 0;
        for (int i = 0; i < values.Length; i++)
        {
            uint key = Key(values[i]);
            bool prune = key < cut || (key == cut && prunedTies < ties);
            if (key == cut && prune)
            {
                prunedTies++;
            }

            keepMask[i] = prune ? (byte)0 : (byte)1;
        }

        return prunedTies;
    }

    /// <summary>Sets to 0 every element whose mask byte is 0.</summary>
    public static void ApplyMask(Span<float> values, ReadOnlySpan<byte> keepMask)
    {
        if (keepMask.Length < values.Length)
        {
            ThrowHelper.LengthMismatch(nameof(keepMask));
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (keepMask[i] == 0)
            {
                values[i] = 0f;
            }
        }
    }

    /// <summary>Zeroes exactly <paramref name="count"/> elements of smallest magnitude; returns the threshold used.</summary>
    public static MagnitudeThreshold PruneSmallest(Span<float> values, long count)
    {
        var threshold = Threshold(values, count);
        Prune(values, threshold.Magnitude, threshold.TiesToPrune);
        return threshold;
    }

    /// <summary>Zeroes exactly <paramref name="count"/> elements of smallest magnitude across all tensors.</summary>
    public static MagnitudeThreshold PruneSmallestGlobal(IReadOnlyList<Memory<float>> tensors, long count)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var readOnly = new ReadOnlyMemory<float>[tensors.Count];
        for (int t = 0; t < tensors.Count; t++)
        {
            readOnly[t] = tensors[t];
        }

        var threshold = Threshold(readOnly, count);
        long ties = threshold.TiesToPrune;
        foreach (var tensor in tensors)
        {
            ties -= Prune(tensor.Span, threshold.Magnitude, ties);
        }

        return threshold;
    }

    /// <summary>
    /// N:M structured sparsity mask: along the middle axis of <c>[outer, axisLength, inner]</c> (the input-channel
    /// axis, e.g. K of a MatMul weight <c>[K, N]</c> with outer 1, or axis 1 of a Conv weight), every group of
    /// <paramref name="m"/> consecutive elements keeps its <paramref name="n"/> largest magnitudes (2:4 for sparse
    /// tensor cores). A short last group keeps its <c>min(n, length)</c> largest.
    /// </summary>
    public static void NMMask(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int n, int m, Span<byte> keepMask) =>
        NMMask(values, outer, axisLength, inner, n, m, keepMask, KernelIsaSelector.Best);

    internal static void NMMask(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int n, int m, Span<byte> keepMask, KernelIsa isa)
    {
        ThrowHelper.CheckShape(values.Length, outer, axisLength, inner, nameof(values));
        if (m <= 0 || n < 0 || n > m || m > 64)
        {
            ThrowHelper.OutOfRange(nameof(m), "N:M needs 0 <= N <= M and 1 <= M <= 64.");
        }

        if (keepMask.Length < values.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(keepMask));
        }

        Span<uint> keys = stackalloc uint[m];
        for (int o = 0; o < outer; o++)
        {
            for (int start = 0; start < axisLength; start += m)
            {
                int length = Math.Min(m, axisLength - start);
                if (NMMaskKernels.Group(values, (o * axisLength) + start, length, inner, n, keepMask, isa))
                {
                    continue;
                }

                for (int i = 0; i < inner; i++)
                {
                    int Index(int a) => (((o * axisLength) + start + a) * inner) + i;
                    for (int a = 0; a < length; a++)
                    {
                        keys[a] = Key(values[Index(a)]);
                    }

                    for (int a = 0; a < length; a++)
                    {
                        // Rank = how many group members are kept ahead of this one (larger, or equal and later).
                        int rank = 0;
                        for (int b = 0; b < length; b++)
                        {
                            if (keys[b] > keys[a] || (keys[b] == keys[a] && b > a))
                            {
                                rank++;
                            }
                        }

                        keepMask[Index(a)] = rank < n ? (byte)1 : (byte)0;
                    }
                }
            }
        }
    }

    /// <summary>Per-channel L1 norms <c>sum |w|</c> over <c>[outer, channels, inner]</c> (accumulated in double).</summary>
    public static void L1NormPerChannel(ReadOnlySpan<float> values, int outer, int channels, int inner, Span<float> norms) =>
        ChannelNorms.Compute(values, outer, channels, inner, norms, squared: false, KernelIsaSelector.Best);

    /// <summary>Per-channel L2 norms <c>sqrt(sum w^2)</c> over <c>[outer, channels, inner]</c> (accumulated in double).</summary>
    public static void L2NormPerChannel(ReadOnlySpan<float> values, int outer, int channels, int inner, Span<float> norms) =>
        ChannelNorms.Compute(values, outer, channels, inner, norms, squared: true, KernelIsaSelector.Best);

    /// <summary>Sort key of a magnitude: the float bits without the sign (monotonic in |w|, NaN above infinity).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Key(float value) => BitConverter.SingleToUInt32Bits(value) & 0x7FFFFFFFu;

    private static long Prune(Span<float> values, float magnitude, long ties)
    {
        uint cut = Key(magnitude);
        long prunedTies = 0;
        for (int i = 0; i < values.Length; i++)
        {
            uint key = Key(values[i]);
            if (key < cut)
            {
                values[i] = 0f;
            }
            else if (key == cut && prunedTies < ties)
            {
                values[i] = 0f;
                prunedTies++;
            }
        }

        return prunedTies;
    }

    /// <summary>Two 16-bit radix passes over the magnitude keys.</summary>
    private static class RadixSelect
    {
        private const int HighBuckets = 1 << 15;
        private const int LowBuckets = 1 << 16;

        public static MagnitudeThreshold Select(ReadOnlySpan<float> values, long count)
        {
            if (count == 0)
            {
                return new MagnitudeThreshold(0f, 0);
            }

            long[] histogram = ArrayPool<long>.Shared.Rent(LowBuckets);
            try
            {
                Span<long> high = histogram.AsSpan(0, HighBuckets);
                high.Clear();
                CountHigh(values, high);
                long below = 0;
                int bucket = FindBucket(high, count, ref below);
                Span<long> low = histogram.AsSpan(0, LowBuckets);
                low.Clear();
                CountLow(values, (uint)bucket, low);
                return Finish(bucket, FindBucket(low, count, ref below), count, below);
            }
            finally
            {
                ArrayPool<long>.Shared.Return(histogram);
            }
        }

        public static MagnitudeThreshold Select(IReadOnlyList<ReadOnlyMemory<float>> tensors, long count)
        {
            if (count == 0)
            {
                return new MagnitudeThreshold(0f, 0);
            }

            long[] histogram = ArrayPool<long>.Shared.Rent(LowBuckets);
            try
            {
                // Pass 1: the high 15 bits (sign removed) pick the bucket that holds the count-th smallest key.
                Span<long> high = histogram.AsSpan(0, HighBuckets);
                high.Clear();
                foreach (var tensor in tensors)
                {
                    CountHigh(tensor.Span, high);
                }

                long below = 0;
                int bucket = FindBucket(high, count, ref below);

                // Pass 2: the low 16 bits inside that bucket.
                Span<long> low = histogram.AsSpan(0, LowBuckets);
                low.Clear();
                foreach (var tensor in tensors)
                {
                    CountLow(tensor.Span, (uint)bucket, low);
                }

                return Finish(bucket, FindBucket(low, count, ref below), count, below);
            }
            finally
            {
                ArrayPool<long>.Shared.Return(histogram);
            }
        }

        private static void CountHigh(ReadOnlySpan<float> values, Span<long> high)
        {
            // Four interleaved copies of the counters: weights cluster in a few buckets, and a single counter
            // array would serialise every increment on the previous one (store-to-load forwarding).
            const int Copies = 4;
            const int Flush = 1 << 30;
            int[] rented = ArrayPool<int>.Shared.Rent(Copies * HighBuckets);
            try
            {
                Span<int> counts = rented.AsSpan(0, Copies * HighBuckets);
                for (int start = 0; start < values.Length; start += Flush)
                {
                    ReadOnlySpan<float> part = values.Slice(start, Math.Min(Flush, values.Length - start));
                    counts.Clear();
                    ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(part);
                    int i = 0;
                    for (; i + Copies <= bits.Length; i += Copies)
                    {
                        counts[(int)((bits[i] & 0x7FFFFFFFu) >> 16)]++;
                        counts[HighBuckets + (int)((bits[i + 1] & 0x7FFFFFFFu) >> 16)]++;
                        counts[(2 * HighBuckets) + (int)((bits[i + 2] & 0x7FFFFFFFu) >> 16)]++;
                        counts[(3 * HighBuckets) + (int)((bits[i + 3] & 0x7FFFFFFFu) >> 16)]++;
                    }

                    for (; i < bits.Length; i++)
                    {
                        counts[(int)((bits[i] & 0x7FFFFFFFu) >> 16)]++;
                    }

                    for (int b = 0; b < HighBuckets; b++)
                    {
                        high[b] += (long)counts[b] + counts[HighBuckets + b] + counts[(2 * HighBuckets) + b] + counts[(3 * HighBuckets) + b];
                    }
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }

        private static void CountLow(ReadOnlySpan<float> values, uint bucket, Span<long> low)
        {
            foreach (float v in values)
            {
                uint key = Key(v);
                if ((key >> 16) == bucket)
                {
                    low[(int)(key & 0xFFFF)]++;
                }
            }
        }

        /// <summary>The bucket holding the count-th smallest key; adds the counts of the buckets before it to <paramref name="below"/>.</summary>
        private static int FindBucket(ReadOnlySpan<long> histogram, long count, ref long below)
        {
            int bucket = 0;
            while (below + histogram[bucket] < count)
            {
                below += histogram[bucket];
                bucket++;
            }

            return bucket;
        }

        private static MagnitudeThreshold Finish(int highBits, int lowBits, long count, long below)
        {
            uint cut = ((uint)highBits << 16) | (uint)lowBits;
            return new MagnitudeThreshold(BitConverter.UInt32BitsToSingle(cut), count - below);
        }
    }
}
