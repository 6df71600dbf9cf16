using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// Elementwise row folds used when the reduced axis is not the contiguous one (a row of `channels` values folds
// into per-channel accumulators). The vector loop is written once, for Vector512, in RowFolds.Width.cs (VectorWidths.targets derives the narrower copies); tails run the scalar loop.
internal static partial class RowFolds
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
}
