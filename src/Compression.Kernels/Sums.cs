using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

/// <summary>Partial sums of one comparison, accumulated in double.</summary>
internal struct ErrorSums
{
    public long Count;
    public double MaxAbsolute;
    public double SquaredError;
    public double SquaredReference;
    public double SquaredActual;
    public double Dot;

    /// <summary>Adds <paramref name="other"/> (always in chunk order, which keeps parallel results identical).</summary>
    public void Add(in ErrorSums other)
    {
        Count += other.Count;
        MaxAbsolute = Math.Max(MaxAbsolute, other.MaxAbsolute);
        SquaredError += other.SquaredError;
        SquaredReference += other.SquaredReference;
        SquaredActual += other.SquaredActual;
        Dot += other.Dot;
    }
}

// Sums widen float to double (a float sum of 64M squares loses digits), so each float vector becomes two
// double vectors. Generated per width from one template; the tail is done by the scalar loop (sums are not
// idempotent, so no overlapping).
internal static class Sums
{
    public static double SumOfSquares(ReadOnlySpan<float> values, KernelIsa isa)
    {
        var (sum, done) = isa switch
        {
            KernelIsa.Vector512 => SumOfSquares512(values),
            KernelIsa.Vector256 => SumOfSquares256(values),
            KernelIsa.Vector128 => SumOfSquares128(values),
            _ => (0d, 0),
        };
        for (int i = done; i < values.Length; i++)
        {
            double v = values[i];
            sum += v * v;
        }

        return sum;
    }

    public static double SumOfMagnitudes(ReadOnlySpan<float> values, KernelIsa isa)
    {
        var (sum, done) = isa switch
        {
            KernelIsa.Vector512 => SumOfMagnitudes512(values),
            KernelIsa.Vector256 => SumOfMagnitudes256(values),
            KernelIsa.Vector128 => SumOfMagnitudes128(values),
            _ => (0d, 0),
        };
        for (int i = done; i < values.Length; i++)
        {
            sum += Math.Abs((double)values[i]);
        }

        return sum;
    }

    public static ErrorSums Error(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual, KernelIsa isa)
    {
        var (sums, done) = isa switch
        {
            KernelIsa.Vector512 => Error512(reference, actual),
            KernelIsa.Vector256 => Error256(reference, actual),
            KernelIsa.Vector128 => Error128(reference, actual),
            _ => (default(ErrorSums), 0),
        };
        for (int i = done; i < reference.Length; i++)
        {
            double r = reference[i];
            double a = actual[i];
            double d = r - a;
            sums.MaxAbsolute = Math.Max(sums.MaxAbsolute, Math.Abs(d));
            sums.SquaredError += d * d;
            sums.SquaredReference += r * r;
            sums.SquaredActual += a * a;
            sums.Dot += r * a;
        }

        sums.Count = reference.Length;
        return sums;
    }

    private static (double Sum, int Done) SumOfSquares512(ReadOnlySpan<float> values)
    {
        ref float p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length;
        var s0 = Vector512<double>.Zero;
        var s1 = s0;
        nuint i = 0;
        for (; i + 16 <= n; i += 16)
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
        for (; i + 16 <= n; i += 16)
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
        for (; i + 16 <= n; i += 16)
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

    private static (double Sum, int Done) SumOfSquares256(ReadOnlySpan<float> values)
    {
        ref float p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length;
        var s0 = Vector256<double>.Zero;
        var s1 = s0;
        nuint i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref p, i));
            s0 = Vector256.FusedMultiplyAdd(lo, lo, s0);
            s1 = Vector256.FusedMultiplyAdd(hi, hi, s1);
        }

        return (Vector256.Sum(s0 + s1), (int)i);
    }

    private static (double Sum, int Done) SumOfMagnitudes256(ReadOnlySpan<float> values)
    {
        ref float p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length;
        var s0 = Vector256<double>.Zero;
        var s1 = s0;
        nuint i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var (lo, hi) = Vector256.Widen(Vector256.Abs(Vector256.LoadUnsafe(ref p, i)));
            s0 += lo;
            s1 += hi;
        }

        return (Vector256.Sum(s0 + s1), (int)i);
    }

    private static (ErrorSums Sums, int Done) Error256(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual)
    {
        ref float pr = ref MemoryMarshal.GetReference(reference);
        ref float pa = ref MemoryMarshal.GetReference(actual);
        nuint n = (nuint)reference.Length;
        var max = Vector256<double>.Zero;
        var se = max;
        var sr = max;
        var sa = max;
        var dot = max;
        nuint i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var (r0, r1) = Vector256.Widen(Vector256.LoadUnsafe(ref pr, i));
            var (a0, a1) = Vector256.Widen(Vector256.LoadUnsafe(ref pa, i));
            Accumulate(r0, a0, ref max, ref se, ref sr, ref sa, ref dot);
            Accumulate(r1, a1, ref max, ref se, ref sr, ref sa, ref dot);
        }

        var sums = new ErrorSums
        {
            MaxAbsolute = MaxOf(max),
            SquaredError = Vector256.Sum(se),
            SquaredReference = Vector256.Sum(sr),
            SquaredActual = Vector256.Sum(sa),
            Dot = Vector256.Sum(dot),
        };
        return (sums, (int)i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Vector256<double> r, Vector256<double> a, ref Vector256<double> max, ref Vector256<double> se, ref Vector256<double> sr, ref Vector256<double> sa, ref Vector256<double> dot)
    {
        var d = r - a;
        max = Vector256.Max(max, Vector256.Abs(d));
        se = Vector256.FusedMultiplyAdd(d, d, se);
        sr = Vector256.FusedMultiplyAdd(r, r, sr);
        sa = Vector256.FusedMultiplyAdd(a, a, sa);
        dot = Vector256.FusedMultiplyAdd(r, a, dot);
    }

    private static double MaxOf(Vector256<double> v)
    {
        double m = v.GetElement(0);
        for (int i = 1; i < Vector256<double>.Count; i++)
        {
            m = Math.Max(m, v.GetElement(i));
        }

        return m;
    }

    private static (double Sum, int Done) SumOfSquares128(ReadOnlySpan<float> values)
    {
        ref float p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length;
        var s0 = Vector128<double>.Zero;
        var s1 = s0;
        nuint i = 0;
        for (; i + 4 <= n; i += 4)
        {
            var (lo, hi) = Vector128.Widen(Vector128.LoadUnsafe(ref p, i));
            s0 = Vector128.FusedMultiplyAdd(lo, lo, s0);
            s1 = Vector128.FusedMultiplyAdd(hi, hi, s1);
        }

        return (Vector128.Sum(s0 + s1), (int)i);
    }

    private static (double Sum, int Done) SumOfMagnitudes128(ReadOnlySpan<float> values)
    {
        ref float p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length;
        var s0 = Vector128<double>.Zero;
        var s1 = s0;
        nuint i = 0;
        for (; i + 4 <= n; i += 4)
        {
            var (lo, hi) = Vector128.Widen(Vector128.Abs(Vector128.LoadUnsafe(ref p, i)));
            s0 += lo;
            s1 += hi;
        }

        return (Vector128.Sum(s0 + s1), (int)i);
    }

    private static (ErrorSums Sums, int Done) Error128(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual)
    {
        ref float pr = ref MemoryMarshal.GetReference(reference);
        ref float pa = ref MemoryMarshal.GetReference(actual);
        nuint n = (nuint)reference.Length;
        var max = Vector128<double>.Zero;
        var se = max;
        var sr = max;
        var sa = max;
        var dot = max;
        nuint i = 0;
        for (; i + 4 <= n; i += 4)
        {
            var (r0, r1) = Vector128.Widen(Vector128.LoadUnsafe(ref pr, i));
            var (a0, a1) = Vector128.Widen(Vector128.LoadUnsafe(ref pa, i));
            Accumulate(r0, a0, ref max, ref se, ref sr, ref sa, ref dot);
            Accumulate(r1, a1, ref max, ref se, ref sr, ref sa, ref dot);
        }

        var sums = new ErrorSums
        {
            MaxAbsolute = MaxOf(max),
            SquaredError = Vector128.Sum(se),
            SquaredReference = Vector128.Sum(sr),
            SquaredActual = Vector128.Sum(sa),
            Dot = Vector128.Sum(dot),
        };
        return (sums, (int)i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Vector128<double> r, Vector128<double> a, ref Vector128<double> max, ref Vector128<double> se, ref Vector128<double> sr, ref Vector128<double> sa, ref Vector128<double> dot)
    {
        var d = r - a;
        max = Vector128.Max(max, Vector128.Abs(d));
        se = Vector128.FusedMultiplyAdd(d, d, se);
        sr = Vector128.FusedMultiplyAdd(r, r, sr);
        sa = Vector128.FusedMultiplyAdd(a, a, sa);
        dot = Vector128.FusedMultiplyAdd(r, a, dot);
    }

    private static double MaxOf(Vector128<double> v)
    {
        double m = v.GetElement(0);
        for (int i = 1; i < Vector128<double>.Count; i++)
        {
            m = Math.Max(m, v.GetElement(i));
        }

        return m;
    }
}
