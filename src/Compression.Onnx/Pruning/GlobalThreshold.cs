using Compression.Kernels;

namespace Compression.Onnx.Pruning;

/// <summary>
/// Global magnitude selection with a per-layer cap: one threshold across all tensors (as PyTorch's
/// <c>global_unstructured</c>), except that a tensor may lose at most <c>cap</c> of its elements; the
/// elements a capped tensor keeps are taken from the others, so the total stays exact.
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
            var memories = open.Select(t => (ReadOnlyMemory<float>)tensors[t]).ToArray();
            MagnitudeThreshold threshold = MagnitudeSelector.Threshold(memories, remaining);
            bool newlyCapped = false;
            long ties = threshold.TiesToPrune;
            foreach (int t in open)
            {
                (long below, long equal) = CountBelow(tensors[t], threshold.Magnitude, remaining > 0);
                long tiesHere = Math.Min(ties, equal);
                ties -= tiesHere;
                long count = below + tiesHere;
                long limit = Limit(tensors[t].Length, cap);
                if (count > limit)
                {
                    capped[t] = true;
                    counts[t] = limit;
                    newlyCapped = true;
                }
                else
                {
                    counts[t] = count;
                }
            }

            if (!newlyCapped)
            {
                return counts;
            }
        }
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
