using System.Numerics;
using System.Runtime.Intrinsics;

namespace Compression.Onnx.Pruning;

/// <summary>
/// Exact global magnitude selection in one read pass (Floyd-Rivest style): a fixed-seed sample brackets the cut,
/// one vectorized pass counts the keys below the bracket per tensor and collects the few keys inside it, and the cut
/// is picked among those. Returns null when the bracket misses (then the caller uses the two-pass radix select).
/// Keys are <c>|w|</c> bits (NaN above infinity), the order of <see cref="Compression.Kernels.MagnitudeSelector"/>.
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
            below[t] = Scan(tensors[t], low, high, candidates);
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
        Compression.Kernels.MagnitudeThreshold local = Compression.Kernels.MagnitudeSelector.Threshold(inside, rank);
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

    /// <summary>Counts keys below <paramref name="low"/> and appends keys in [low, high] to <paramref name="candidates"/>.</summary>
    private static long Scan(ReadOnlySpan<float> values, uint low, uint high, List<float> candidates)
    {
        long below = 0;
        int i = 0;
        ref uint start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(values));
        if (Vector512.IsHardwareAccelerated && values.Length >= Vector512<uint>.Count)
        {
            Vector512<uint> mask = Vector512.Create(0x7FFFFFFFu);
            Vector512<uint> lowV = Vector512.Create(low);
            Vector512<uint> highV = Vector512.Create(high);
            for (; i <= values.Length - Vector512<uint>.Count; i += Vector512<uint>.Count)
            {
                Vector512<uint> keys = Vector512.LoadUnsafe(ref start, (nuint)i) & mask;
                ulong less = Vector512.LessThan(keys, lowV).ExtractMostSignificantBits();
                below += BitOperations.PopCount(less);
                ulong inside = ~less & Vector512.LessThanOrEqual(keys, highV).ExtractMostSignificantBits() & 0xFFFFul;
                while (inside != 0)
                {
                    candidates.Add(values[i + BitOperations.TrailingZeroCount(inside)]);
                    inside &= inside - 1;
                }
            }
        }
        else if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<uint>.Count)
        {
            Vector256<uint> mask = Vector256.Create(0x7FFFFFFFu);
            Vector256<uint> lowV = Vector256.Create(low);
            Vector256<uint> highV = Vector256.Create(high);
            for (; i <= values.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
            {
                Vector256<uint> keys = Vector256.LoadUnsafe(ref start, (nuint)i) & mask;
                uint less = Vector256.LessThan(keys, lowV).ExtractMostSignificantBits();
                below += BitOperations.PopCount(less);
                uint inside = ~less & Vector256.LessThanOrEqual(keys, highV).ExtractMostSignificantBits() & 0xFFu;
                while (inside != 0)
                {
                    candidates.Add(values[i + BitOperations.TrailingZeroCount(inside)]);
                    inside &= inside - 1;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            uint key = Key(values[i]);
            if (key < low)
            {
                below++;
            }
            else if (key <= high)
            {
                candidates.Add(values[i]);
            }
        }

        return below;
    }

    private static uint Key(float value) => BitConverter.SingleToUInt32Bits(value) & 0x7FFFFFFFu;
}
