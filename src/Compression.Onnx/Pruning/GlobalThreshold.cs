using Compression.Kernels;

namespace Compression.Onnx.Pruning;

/// <summary>
/// Global magnitude selection with a per-layer cap: one threshold across all tensors (as PyTorch's
/// <c>global_unstructured</c>), except that a tensor may lose at most <c>cap</c> of its elements; the
/// elements a capped tensor keeps are taken from the others, so the total stays exact. Selection is one
/// sampled read pass (<see cref="SampledSelection"/>), with the kernels' two-pass radix select as the fallback.
/// </summary>
internal static class GlobalThreshold
{
    /// <summary>How many elements to prune in each tensor.</summary>
    /// <param name="tensors">The tensors.</param>
    /// <param name="total">Elements to prune in all.</param>
    /// <param name="cap">Largest fraction of one tensor that may be pruned.</param>
    public static long[] Counts(IReadOnlyList<float[]> tensors, long total, double cap)
    {
        var counts = new long[tensors.Count];
        var capped = new bool[tensors.Count];
        while (true)
        {
            var open = new List<int>();
            long remaining = total;
            for (int t = 0; t < tensors.Count; t++)
            {
                if (capped[t])
                {
                    remaining -= counts[t];
                }
                else
                {
                    open.Add(t);
                }
            }

            long openElements = open.Sum(t => (long)tensors[t].Length);
            remaining = Math.Clamp(remaining, 0, openElements);
            long[] openCounts = SampledSelection.Counts(open.Select(t => tensors[t]).ToList(), remaining) ?? ExactCounts(tensors, open, remaining);
            bool newlyCapped = false;
            for (int o = 0; o < open.Count; o++)
            {
                int t = open[o];
                long limit = Limit(tensors[t].Length, cap);
                counts[t] = Math.Min(openCounts[o], limit);
                if (openCounts[o] > limit)
                {
                    capped[t] = true;
                    newlyCapped = true;
                }
            }

            if (!newlyCapped)
            {
                return counts;
            }
        }
    }

    /// <summary>The exact two-pass radix select of the kernels, then one counting pass per tensor (used when sampling misses).</summary>
    internal static long[] ExactCounts(IReadOnlyList<float[]> tensors, List<int> open, long remaining)
    {
        var memories = open.Select(t => (ReadOnlyMemory<float>)tensors[t]).ToArray();
        MagnitudeThreshold threshold = MagnitudeSelector.Threshold(memories, remaining);
        long ties = threshold.TiesToPrune;
        var result = new long[open.Count];
        for (int o = 0; o < open.Count; o++)
        {
            (long below, long equal) = CountBelow(tensors[open[o]], threshold.Magnitude, remaining > 0);
            long tiesHere = Math.Min(ties, equal);
            ties -= tiesHere;
            result[o] = below + tiesHere;
        }

        return result;
    }

    public static long Limit(long length, double cap) => (long)Math.Floor(length * cap);

    private static (long Below, long Equal) CountBelow(float[] values, float magnitude, bool any)
    {
        if (!any)
        {
            return (0, 0);
        }

        uint cut = BitConverter.SingleToUInt32Bits(magnitude) & 0x7FFFFFFFu;
        long below = 0;
        long equal = 0;
        foreach (float v in values)
        {
            uint key = BitConverter.SingleToUInt32Bits(v) & 0x7FFFFFFFu;
            below += key < cut ? 1 : 0;
            equal += key == cut ? 1 : 0;
        }

        return (below, equal);
    }
}
