using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// Elementwise row folds used when the reduced axis is not the contiguous one (a row of `channels` values folds
// into per-channel accumulators). Generated per width from one template; tails run the scalar loop.
internal static class RowFolds
{
    /// <summary>min[i] = Min(min[i], row[i]) and max[i] = Max(max[i], row[i]) in one pass (IEEE minimum/maximum).</summary>
    public static void MinMax(ReadOnlySpan<float> row, Span<float> min, Span<float> max, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => MinMax512(row, min, max),
            KernelIsa.Vector256 => MinMax256(row, min, max),
            KernelIsa.Vector128 => MinMax128(row, min, max),
            _ => 0,
        };
        for (int i = done; i < row.Length; i++)
        {
            min[i] = Math.Min(min[i], row[i]);
            max[i] = Math.Max(max[i], row[i]);
        }
    }

    /// <summary>sums[i] += |row[i]| or row[i]^2, in double.</summary>
    public static void Accumulate(ReadOnlySpan<float> row, Span<double> sums, bool squared, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => Accumulate512(row, sums, squared),
            KernelIsa.Vector256 => Accumulate256(row, sums, squared),
            KernelIsa.Vector128 => Accumulate128(row, sums, squared),
            _ => 0,
        };
        for (int i = done; i < row.Length; i++)
        {
            double v = row[i];
            sums[i] += squared ? v * v : Math.Abs(v);
        }
    }

    private static int MinMax512(ReadOnlySpan<float> row, Span<float> min, Span<float> max)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float mn = ref MemoryMarshal.GetReference(min);
        ref float mx = ref MemoryMarshal.GetReference(max);
        nuint n = (nuint)row.Length;
        nuint i = 0;
        for (; i + 16 <= n; i += 16)
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
        for (; i + 16 <= n; i += 16)
        {
            var (lo, hi) = Vector512.Widen(Vector512.LoadUnsafe(ref x, i));
            var a = Vector512.LoadUnsafe(ref s, i);
            var b = Vector512.LoadUnsafe(ref s, i + (16 / 2));
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
            b.StoreUnsafe(ref s, i + (16 / 2));
        }

        return (int)i;
    }

    private static int MinMax256(ReadOnlySpan<float> row, Span<float> min, Span<float> max)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float mn = ref MemoryMarshal.GetReference(min);
        ref float mx = ref MemoryMarshal.GetReference(max);
        nuint n = (nuint)row.Length;
        nuint i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var v = Vector256.LoadUnsafe(ref x, i);
            Vector256.Min(Vector256.LoadUnsafe(ref mn, i), v).StoreUnsafe(ref mn, i);
            Vector256.Max(Vector256.LoadUnsafe(ref mx, i), v).StoreUnsafe(ref mx, i);
        }

        return (int)i;
    }

    private static int Accumulate256(ReadOnlySpan<float> row, Span<double> sums, bool squared)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref double s = ref MemoryMarshal.GetReference(sums);
        nuint n = (nuint)row.Length;
        nuint i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref x, i));
            var a = Vector256.LoadUnsafe(ref s, i);
            var b = Vector256.LoadUnsafe(ref s, i + (8 / 2));
            if (squared)
            {
                a = Vector256.FusedMultiplyAdd(lo, lo, a);
                b = Vector256.FusedMultiplyAdd(hi, hi, b);
            }
            else
            {
                a += Vector256.Abs(lo);
                b += Vector256.Abs(hi);
            }

            a.StoreUnsafe(ref s, i);
            b.StoreUnsafe(ref s, i + (8 / 2));
        }

        return (int)i;
    }

    private static int MinMax128(ReadOnlySpan<float> row, Span<float> min, Span<float> max)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float mn = ref MemoryMarshal.GetReference(min);
        ref float mx = ref MemoryMarshal.GetReference(max);
        nuint n = (nuint)row.Length;
        nuint i = 0;
        for (; i + 4 <= n; i += 4)
        {
            var v = Vector128.LoadUnsafe(ref x, i);
            Vector128.Min(Vector128.LoadUnsafe(ref mn, i), v).StoreUnsafe(ref mn, i);
            Vector128.Max(Vector128.LoadUnsafe(ref mx, i), v).StoreUnsafe(ref mx, i);
        }

        return (int)i;
    }

    private static int Accumulate128(ReadOnlySpan<float> row, Span<double> sums, bool squared)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref double s = ref MemoryMarshal.GetReference(sums);
        nuint n = (nuint)row.Length;
        nuint i = 0;
        for (; i + 4 <= n; i += 4)
        {
            var (lo, hi) = Vector128.Widen(Vector128.LoadUnsafe(ref x, i));
            var a = Vector128.LoadUnsafe(ref s, i);
            var b = Vector128.LoadUnsafe(ref s, i + (4 / 2));
            if (squared)
            {
                a = Vector128.FusedMultiplyAdd(lo, lo, a);
                b = Vector128.FusedMultiplyAdd(hi, hi, b);
            }
            else
            {
                a += Vector128.Abs(lo);
                b += Vector128.Abs(hi);
            }

            a.StoreUnsafe(ref s, i);
            b.StoreUnsafe(ref s, i + (4 / 2));
        }

        return (int)i;
    }
}
