using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 code of RangeReduction.Vector, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
internal static partial class RangeReduction
{
    public static (float Min, float Max) MinMaxVector512(ReadOnlySpan<float> values)
    {
        ref float p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length;
        nuint w = (nuint)Vector512<float>.Count;
        Vector512<float> min0 = Vector512.LoadUnsafe(ref p), max0 = min0, min1 = min0, max1 = min0, min2 = min0, max2 = min0, min3 = min0, max3 = min0;
        nuint i = 0;
        for (; i + (4 * w) <= n; i += 4 * w)
        {
            Vector512<float> a = Vector512.LoadUnsafe(ref p, i);
            Vector512<float> b = Vector512.LoadUnsafe(ref p, i + w);
            Vector512<float> c = Vector512.LoadUnsafe(ref p, i + (2 * w));
            Vector512<float> d = Vector512.LoadUnsafe(ref p, i + (3 * w));
            min0 = Vector512.Min(min0, a); max0 = Vector512.Max(max0, a);
            min1 = Vector512.Min(min1, b); max1 = Vector512.Max(max1, b);
            min2 = Vector512.Min(min2, c); max2 = Vector512.Max(max2, c);
            min3 = Vector512.Min(min3, d); max3 = Vector512.Max(max3, d);
        }

        for (; i + w <= n; i += w)
        {
            Vector512<float> a = Vector512.LoadUnsafe(ref p, i);
            min0 = Vector512.Min(min0, a); max0 = Vector512.Max(max0, a);
        }

        if (i < n)
        {
            Vector512<float> a = Vector512.LoadUnsafe(ref p, n - w);
            min0 = Vector512.Min(min0, a); max0 = Vector512.Max(max0, a);
        }

        min0 = Vector512.Min(Vector512.Min(min0, min1), Vector512.Min(min2, min3));
        max0 = Vector512.Max(Vector512.Max(max0, max1), Vector512.Max(max2, max3));
        return (HorizontalMin(min0), HorizontalMax(max0));
    }

    public static float AbsMaxVector512(ReadOnlySpan<float> values)
    {
        // |x| as integer bits: monotonic for magnitudes and NaN sorts above infinity, so a plain integer max
        // is the IEEE result (NaN propagates) at one instruction per vector.
        ref int p = ref Unsafe.As<float, int>(ref MemoryMarshal.GetReference(values));
        nuint n = (nuint)values.Length;
        nuint w = (nuint)Vector512<int>.Count;
        var mask = Vector512.Create(0x7FFFFFFF);
        Vector512<int> m0 = Vector512<int>.Zero, m1 = m0, m2 = m0, m3 = m0;
        nuint i = 0;
        for (; i + (4 * w) <= n; i += 4 * w)
        {
            m0 = Vector512.Max(m0, Vector512.LoadUnsafe(ref p, i) & mask);
            m1 = Vector512.Max(m1, Vector512.LoadUnsafe(ref p, i + w) & mask);
            m2 = Vector512.Max(m2, Vector512.LoadUnsafe(ref p, i + (2 * w)) & mask);
            m3 = Vector512.Max(m3, Vector512.LoadUnsafe(ref p, i + (3 * w)) & mask);
        }

        for (; i + w <= n; i += w)
        {
            m0 = Vector512.Max(m0, Vector512.LoadUnsafe(ref p, i) & mask);
        }

        if (i < n)
        {
            m0 = Vector512.Max(m0, Vector512.LoadUnsafe(ref p, n - w) & mask);
        }

        m0 = Vector512.Max(Vector512.Max(m0, m1), Vector512.Max(m2, m3));
        return BitConverter.Int32BitsToSingle(MaxLane(m0));
    }
}
