using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 code of HistogramBins, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
internal static partial class HistogramBins
{
    private static int Compute512(ReadOnlySpan<float> values, float min, float max, double binsPerUnit, int bins, Span<int> indices)
    {
        ref float x = ref MemoryMarshal.GetReference(values);
        ref int d = ref MemoryMarshal.GetReference(indices);
        var lo = Vector512.Create(min);
        var hi = Vector512.Create(max);
        var loD = Vector512.Create((double)min);
        var scale = Vector512.Create(binsPerUnit);
        var last = Vector512.Create(bins - 1);
        var below = Vector512.Create(bins);
        var above = Vector512.Create(bins + 1);
        var nan = Vector512.Create(bins + 2);
        nuint n = (nuint)values.Length;
        nuint i = 0;
        for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
        {
            var v = Vector512.LoadUnsafe(ref x, i);
            var (a, b) = Vector512.Widen(v);
            var bin = Vector512.Narrow(Vector512.ConvertToInt64((a - loD) * scale), Vector512.ConvertToInt64((b - loD) * scale));
            bin = Vector512.Min(bin, last);
            var inRange = (Vector512.GreaterThanOrEqual(v, lo) & Vector512.LessThanOrEqual(v, hi)).AsInt32();
            var outside = Vector512.ConditionalSelect(Vector512.LessThan(v, lo).AsInt32(), below, Vector512.ConditionalSelect(Vector512.GreaterThan(v, hi).AsInt32(), above, nan));
            Vector512.ConditionalSelect(inRange, bin, outside).StoreUnsafe(ref d, i);
        }

        return (int)i;
    }
}
