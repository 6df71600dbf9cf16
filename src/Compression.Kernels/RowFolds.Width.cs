using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 code of RowFolds, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
internal static partial class RowFolds
{
    private static int MinMax512(ReadOnlySpan<float> row, Span<float> min, Span<float> max)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float mn = ref MemoryMarshal.GetReference(min);
        ref float mx = ref MemoryMarshal.GetReference(max);
        nuint n = (nuint)row.Length;
        nuint i = 0;
        for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
        {
            var v = Vector512.LoadUnsafe(ref x, i);
            Vector512.Min(Vector512.LoadUnsafe(ref mn, i), v).StoreUnsafe(ref mn, i);
            Vector512.Max(Vector512.LoadUnsafe(ref mx, i), v).StoreUnsafe(ref mx, i);
        }

        return (int)i;
    }

    private static int Accumulate512(ReadOnlySpan<float> row, Span<double> sums, bool squared)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref double s = ref MemoryMarshal.GetReference(sums);
        nuint n = (nuint)row.Length;
        nuint i = 0;
        for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
        {
            var (lo, hi) = Vector512.Widen(Vector512.LoadUnsafe(ref x, i));
            var a = Vector512.LoadUnsafe(ref s, i);
            var b = Vector512.LoadUnsafe(ref s, i + ((nuint)Vector512<float>.Count / 2));
            if (squared)
            {
                a = Vector512.FusedMultiplyAdd(lo, lo, a);
                b = Vector512.FusedMultiplyAdd(hi, hi, b);
            }
            else
            {
                a += Vector512.Abs(lo);
                b += Vector512.Abs(hi);
            }

            a.StoreUnsafe(ref s, i);
            b.StoreUnsafe(ref s, i + ((nuint)Vector512<float>.Count / 2));
        }

        return (int)i;
    }
}
