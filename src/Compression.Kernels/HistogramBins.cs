using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

/// <summary>
/// Bin indices for <see cref="Histogram"/>: in-range values get <c>min((int)((v - min) * binsPerUnit), bins - 1)</c>
/// computed in double (as the scalar rule), and out-of-range values get sentinel slots <c>bins</c> (below),
/// <c>bins + 1</c> (above) and <c>bins + 2</c> (NaN). The vector loop is written once, for Vector512, in HistogramBins.Width.cs (VectorWidths.targets derives the narrower copies).
/// </summary>
internal static partial class HistogramBins
{
    public static void Compute(ReadOnlySpan<float> values, float min, float max, double binsPerUnit, int bins, Span<int> indices, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => Compute512(values, min, max, binsPerUnit, bins, indices),
            KernelIsa.Vector256 => Compute256(values, min, max, binsPerUnit, bins, indices),
            KernelIsa.Vector128 => Compute128(values, min, max, binsPerUnit, bins, indices),
            _ => 0,
        };
        for (int i = done; i < values.Length; i++)
        {
            indices[i] = One(values[i], min, max, binsPerUnit, bins);
        }
    }

    public static int One(float v, float min, float max, double binsPerUnit, int bins)
    {
        if (v >= min && v <= max)
        {
            return Math.Min((int)((v - (double)min) * binsPerUnit), bins - 1);
        }

        return v < min ? bins : v > max ? bins + 1 : bins + 2;
    }
}
