using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 code of Sums, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
internal static partial class Sums
{
    private static (double Sum, int Done) SumOfSquares512(ReadOnlySpan<float> values)
    {
        ref float p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length;
        var s0 = Vector512<double>.Zero;
        var s1 = s0;
        nuint i = 0;
        for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
        {
            var (lo, hi) = Vector512.Widen(Vector512.LoadUnsafe(ref p, i));
            s0 = Vector512.FusedMultiplyAdd(lo, lo, s0);
            s1 = Vector512.FusedMultiplyAdd(hi, hi, s1);
        }

        return (Vector512.Sum(s0 + s1), (int)i);
    }

    private static (double Sum, int Done) SumOfMagnitudes512(ReadOnlySpan<float> values)
    {
        ref float p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length;
        var s0 = Vector512<double>.Zero;
        var s1 = s0;
        nuint i = 0;
        for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
        {
            var (lo, hi) = Vector512.Widen(Vector512.Abs(Vector512.LoadUnsafe(ref p, i)));
            s0 += lo;
            s1 += hi;
        }

        return (Vector512.Sum(s0 + s1), (int)i);
    }

    private static (ErrorSums Sums, int Done) Error512(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual)
    {
        ref float pr = ref MemoryMarshal.GetReference(reference);
        ref float pa = ref MemoryMarshal.GetReference(actual);
        nuint n = (nuint)reference.Length;
        var max = Vector512<double>.Zero;
        var se = max;
        var sr = max;
        var sa = max;
        var dot = max;
        nuint i = 0;
        for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
        {
            var (r0, r1) = Vector512.Widen(Vector512.LoadUnsafe(ref pr, i));
            var (a0, a1) = Vector512.Widen(Vector512.LoadUnsafe(ref pa, i));
            Accumulate(r0, a0, ref max, ref se, ref sr, ref sa, ref dot);
            Accumulate(r1, a1, ref max, ref se, ref sr, ref sa, ref dot);
        }

        var sums = new ErrorSums
        {
            MaxAbsolute = MaxOf(max),
            SquaredError = Vector512.Sum(se),
            SquaredReference = Vector512.Sum(sr),
            SquaredActual = Vector512.Sum(sa),
            Dot = Vector512.Sum(dot),
        };
        return (sums, (int)i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Vector512<double> r, Vector512<double> a, ref Vector512<double> max, ref Vector512<double> se, ref Vector512<double> sr, ref Vector512<double> sa, ref Vector512<double> dot)
    {
        var d = r - a;
        max = Vector512.Max(max, Vector512.Abs(d));
        se = Vector512.FusedMultiplyAdd(d, d, se);
        sr = Vector512.FusedMultiplyAdd(r, r, sr);
        sa = Vector512.FusedMultiplyAdd(a, a, sa);
        dot = Vector512.FusedMultiplyAdd(r, a, dot);
    }

    private static double MaxOf(Vector512<double> v)
    {
        double m = v.GetElement(0);
        for (int i = 1; i < Vector512<double>.Count; i++)
        {
            m = Math.Max(m, v.GetElement(i));
        }

        return m;
    }
}
