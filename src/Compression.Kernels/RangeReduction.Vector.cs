using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// One width per method: the loop shape is the same (4 accumulators, then single vectors, then the last
// full vector overlapping the tail, which is harmless because min/max are idempotent).
// Vector*.Min/Max are IEEE 754-2019 minimum/maximum in .NET 9+, matching Math.Min/Max: NaN propagates
// and -0 < +0, so every width gives the scalar result bit for bit.
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

    public static (float Min, float Max) MinMaxVector256(ReadOnlySpan<float> values)
    {
        ref float p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length;
        nuint w = (nuint)Vector256<float>.Count;
        Vector256<float> min0 = Vector256.LoadUnsafe(ref p), max0 = min0, min1 = min0, max1 = min0, min2 = min0, max2 = min0, min3 = min0, max3 = min0;
        nuint i = 0;
        for (; i + (4 * w) <= n; i += 4 * w)
        {
            Vector256<float> a = Vector256.LoadUnsafe(ref p, i);
            Vector256<float> b = Vector256.LoadUnsafe(ref p, i + w);
            Vector256<float> c = Vector256.LoadUnsafe(ref p, i + (2 * w));
            Vector256<float> d = Vector256.LoadUnsafe(ref p, i + (3 * w));
            min0 = Vector256.Min(min0, a); max0 = Vector256.Max(max0, a);
            min1 = Vector256.Min(min1, b); max1 = Vector256.Max(max1, b);
            min2 = Vector256.Min(min2, c); max2 = Vector256.Max(max2, c);
            min3 = Vector256.Min(min3, d); max3 = Vector256.Max(max3, d);
        }

        for (; i + w <= n; i += w)
        {
            Vector256<float> a = Vector256.LoadUnsafe(ref p, i);
            min0 = Vector256.Min(min0, a); max0 = Vector256.Max(max0, a);
        }

        if (i < n)
        {
            Vector256<float> a = Vector256.LoadUnsafe(ref p, n - w);
            min0 = Vector256.Min(min0, a); max0 = Vector256.Max(max0, a);
        }

        min0 = Vector256.Min(Vector256.Min(min0, min1), Vector256.Min(min2, min3));
        max0 = Vector256.Max(Vector256.Max(max0, max1), Vector256.Max(max2, max3));
        return (HorizontalMin(min0), HorizontalMax(max0));
    }

    public static (float Min, float Max) MinMaxVector128(ReadOnlySpan<float> values)
    {
        ref float p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length;
        nuint w = (nuint)Vector128<float>.Count;
        Vector128<float> min0 = Vector128.LoadUnsafe(ref p), max0 = min0, min1 = min0, max1 = min0, min2 = min0, max2 = min0, min3 = min0, max3 = min0;
        nuint i = 0;
        for (; i + (4 * w) <= n; i += 4 * w)
        {
            Vector128<float> a = Vector128.LoadUnsafe(ref p, i);
            Vector128<float> b = Vector128.LoadUnsafe(ref p, i + w);
            Vector128<float> c = Vector128.LoadUnsafe(ref p, i + (2 * w));
            Vector128<float> d = Vector128.LoadUnsafe(ref p, i + (3 * w));
            min0 = Vector128.Min(min0, a); max0 = Vector128.Max(max0, a);
            min1 = Vector128.Min(min1, b); max1 = Vector128.Max(max1, b);
            min2 = Vector128.Min(min2, c); max2 = Vector128.Max(max2, c);
            min3 = Vector128.Min(min3, d); max3 = Vector128.Max(max3, d);
        }

        for (; i + w <= n; i += w)
        {
            Vector128<float> a = Vector128.LoadUnsafe(ref p, i);
            min0 = Vector128.Min(min0, a); max0 = Vector128.Max(max0, a);
        }

        if (i < n)
        {
            Vector128<float> a = Vector128.LoadUnsafe(ref p, n - w);
            min0 = Vector128.Min(min0, a); max0 = Vector128.Max(max0, a);
        }

        min0 = Vector128.Min(Vector128.Min(min0, min1), Vector128.Min(min2, min3));
        max0 = Vector128.Max(Vector128.Max(max0, max1), Vector128.Max(max2, max3));
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

    public static float AbsMaxVector256(ReadOnlySpan<float> values)
    {
        // |x| as integer bits: monotonic for magnitudes and NaN sorts above infinity, so a plain integer max
        // is the IEEE result (NaN propagates) at one instruction per vector.
        ref int p = ref Unsafe.As<float, int>(ref MemoryMarshal.GetReference(values));
        nuint n = (nuint)values.Length;
        nuint w = (nuint)Vector256<int>.Count;
        var mask = Vector256.Create(0x7FFFFFFF);
        Vector256<int> m0 = Vector256<int>.Zero, m1 = m0, m2 = m0, m3 = m0;
        nuint i = 0;
        for (; i + (4 * w) <= n; i += 4 * w)
        {
            m0 = Vector256.Max(m0, Vector256.LoadUnsafe(ref p, i) & mask);
            m1 = Vector256.Max(m1, Vector256.LoadUnsafe(ref p, i + w) & mask);
            m2 = Vector256.Max(m2, Vector256.LoadUnsafe(ref p, i + (2 * w)) & mask);
            m3 = Vector256.Max(m3, Vector256.LoadUnsafe(ref p, i + (3 * w)) & mask);
        }

        for (; i + w <= n; i += w)
        {
            m0 = Vector256.Max(m0, Vector256.LoadUnsafe(ref p, i) & mask);
        }

        if (i < n)
        {
            m0 = Vector256.Max(m0, Vector256.LoadUnsafe(ref p, n - w) & mask);
        }

        m0 = Vector256.Max(Vector256.Max(m0, m1), Vector256.Max(m2, m3));
        return BitConverter.Int32BitsToSingle(MaxLane(m0));
    }

    public static float AbsMaxVector128(ReadOnlySpan<float> values)
    {
        // |x| as integer bits: monotonic for magnitudes and NaN sorts above infinity, so a plain integer max
        // is the IEEE result (NaN propagates) at one instruction per vector.
        ref int p = ref Unsafe.As<float, int>(ref MemoryMarshal.GetReference(values));
        nuint n = (nuint)values.Length;
        nuint w = (nuint)Vector128<int>.Count;
        var mask = Vector128.Create(0x7FFFFFFF);
        Vector128<int> m0 = Vector128<int>.Zero, m1 = m0, m2 = m0, m3 = m0;
        nuint i = 0;
        for (; i + (4 * w) <= n; i += 4 * w)
        {
            m0 = Vector128.Max(m0, Vector128.LoadUnsafe(ref p, i) & mask);
            m1 = Vector128.Max(m1, Vector128.LoadUnsafe(ref p, i + w) & mask);
            m2 = Vector128.Max(m2, Vector128.LoadUnsafe(ref p, i + (2 * w)) & mask);
            m3 = Vector128.Max(m3, Vector128.LoadUnsafe(ref p, i + (3 * w)) & mask);
        }

        for (; i + w <= n; i += w)
        {
            m0 = Vector128.Max(m0, Vector128.LoadUnsafe(ref p, i) & mask);
        }

        if (i < n)
        {
            m0 = Vector128.Max(m0, Vector128.LoadUnsafe(ref p, n - w) & mask);
        }

        m0 = Vector128.Max(Vector128.Max(m0, m1), Vector128.Max(m2, m3));
        return BitConverter.Int32BitsToSingle(MaxLane(m0));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMin(Vector512<float> v) => HorizontalMin(Vector256.Min(v.GetLower(), v.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMin(Vector256<float> v) => HorizontalMin(Vector128.Min(v.GetLower(), v.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMin(Vector128<float> v) =>
        Math.Min(Math.Min(v.GetElement(0), v.GetElement(1)), Math.Min(v.GetElement(2), v.GetElement(3)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMax(Vector512<float> v) => HorizontalMax(Vector256.Max(v.GetLower(), v.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMax(Vector256<float> v) => HorizontalMax(Vector128.Max(v.GetLower(), v.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMax(Vector128<float> v) =>
        Math.Max(Math.Max(v.GetElement(0), v.GetElement(1)), Math.Max(v.GetElement(2), v.GetElement(3)));

    private static int MaxLane<T>(T vector)
        where T : struct
    {
        int max = 0;
        ReadOnlySpan<int> lanes = MemoryMarshal.Cast<T, int>(new ReadOnlySpan<T>(in vector));
        foreach (int lane in lanes)
        {
            max = Math.Max(max, lane);
        }

        return max;
    }
}
