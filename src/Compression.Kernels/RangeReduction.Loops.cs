using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The loops are written once, for Vector512, in RangeReduction.Loops.Width.cs (VectorWidths.targets derives the
// narrower copies); the loop shape is (4 accumulators, then single vectors, then the last
// full vector overlapping the tail, which is harmless because min/max are idempotent).
// Vector*.Min/Max are IEEE 754-2019 minimum/maximum in .NET 9+, matching Math.Min/Max: NaN propagates
// and -0 < +0, so every width gives the scalar result bit for bit.
internal static partial class RangeReduction
{
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
