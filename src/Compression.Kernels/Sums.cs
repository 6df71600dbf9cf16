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
// double vectors. The vector loops are written once, in Sums.Width.cs; the tail is done by the scalar loop (sums are not
// idempotent, so no overlapping).
internal static partial class Sums
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
}
