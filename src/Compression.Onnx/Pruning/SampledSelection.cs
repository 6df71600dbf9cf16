using Compression.Kernels;

namespace Compression.Onnx.Pruning;

/// <summary>
/// Exact global magnitude selection in one read pass (Floyd-Rivest style): a fixed-seed sample brackets the cut,
/// one read pass (the kernel <see cref="MagnitudeBand"/>) counts the keys below the bracket per tensor and collects the few keys inside it, and the cut
/// is picked among those. Returns null when the bracket misses (then the caller uses the two-pass radix select).
/// Keys are <c>|w|</c> bits (NaN above infinity), the order of <see cref="MagnitudeSelector"/>.
/// </summary>
internal static class SampledSelection
{
    private const int SampleSize = 1 << 17;

    /// <summary>Consecutive elements read at each sampled position.</summary>
    private const int Run = 16;

    /// <summary>Per tensor, how many elements the exact global cut of <paramref name="count"/> prunes (ties in list order), or null.</summary>
    public static long[]? Counts(IReadOnlyList<float[]> tensors, long count)
    {
        long total = tensors.Sum(t => (long)t.Length);
        var counts = new long[tensors.Count];
        if (count == 0)
        {
            return counts;
        }

        if (count >= total)
        {
            return tensors.Select(t => (long)t.Length).ToArray();
        }

        (uint low, uint high) = Bracket(tensors, total, count);
        var below = new long[tensors.Count];
        var candidates = new List<float>();
        var starts = new int[tensors.Count + 1];
        for (int t = 0; t < tensors.Count; t++)
        {
            starts[t] = candidates.Count;
            below[t] = MagnitudeBand.Scan(tensors[t], low, high, candidates);
        }

        starts[tensors.Count] = candidates.Count;
        long belowAll = below.Sum();
        long rank = count - belowAll;
        if (rank <= 0 || rank > candidates.Count)
        {
            return null;
        }

        // The few candidates: the kernels' exact radix select finds the rank-th smallest among them.
        float[] inside = [.. candidates];
        MagnitudeThreshold local = MagnitudeSelector.Threshold(inside, rank);
        uint cut = Key(local.Magnitude);
        long ties = local.TiesToPrune;
        for (int t = 0; t < tensors.Count; t++)
        {
            long less = 0, equal = 0;
            for (int i = starts[t]; i < starts[t + 1]; i++)
            {
                uint key = Key(inside[i]);
                less += key < cut ? 1 : 0;
                equal += key == cut ? 1 : 0;
            }

            long tiesHere = Math.Min(ties, equal);
            ties -= tiesHere;
            counts[t] = below[t] + less + tiesHere;
        }

        return counts;
    }

    /// <summary>
    /// Keys of the elements at <see cref="SampleSize"/> / <see cref="Run"/> random positions, <see cref="Run"/>
    /// consecutive elements each (cache-friendly), sorted; the bracket is the sample quantile +- a wide margin.
    /// </summary>
    private static (uint Low, uint High) Bracket(IReadOnlyList<float[]> tensors, long total, long count)
    {
        int size = (int)Math.Min(SampleSize, total);
        var sample = new uint[size];
        var ends = new long[tensors.Count];
        long running = 0;
        for (int t = 0; t < tensors.Count; t++)
        {
            running += tensors[t].Length;
            ends[t] = running;
        }

        var random = new Random(17);
        for (int s = 0; s < size; s += Run)
        {
            long position = (long)(random.NextDouble() * total);
            int t = Array.BinarySearch(ends, position);
            t = t < 0 ? ~t : t + 1;
            long offset = position - (ends[t] - tensors[t].Length);
            for (int r = 0; r < Run && s + r < size; r++)
            {
                float[] tensor = tensors[t];
                sample[s + r] = Key(tensor[(offset + r) % tensor.Length]);
            }
        }

        Array.Sort(sample);
        double at = (double)count / total * size;
        double margin = (3 * Math.Sqrt(size)) + (4 * Run);
        uint low = sample[(int)Math.Clamp(at - margin, 0, size - 1)];
        uint high = sample[(int)Math.Clamp(at + margin, 0, size - 1)];
        return (at - margin <= 0 ? 0 : low, at + margin >= size - 1 ? uint.MaxValue : high);
    }

    private static uint Key(float value) => MagnitudeBand.Key(value);
}
