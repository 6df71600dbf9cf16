using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

/// <summary>
/// Per-channel kernels for tensors whose channel axis is the contiguous one (<c>[rows, channels]</c>, e.g. a MatMul
/// weight <c>[K, N]</c> with a scale per output column). Work goes in strips of 4 vectors of channels over blocks of
/// 16 rows, so the per-channel accumulators or parameters stay in registers while the row block stays in cache.
/// The vector loop is written once, for Vector512, in ChannelStrips.Width.cs (VectorWidths.targets derives the narrower copies); leftover columns run the scalar loop.
/// </summary>
internal static partial class ChannelStrips
{
    private const int RowBlock = 16;

    /// <summary>Folds rows 1.. into min/max, which hold row 0 on entry (IEEE minimum/maximum).</summary>
    public static void MinMax(ReadOnlySpan<float> values, int rows, int channels, Span<float> min, Span<float> max, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => MinMax512(values, rows, channels, min, max),
            KernelIsa.Vector256 => MinMax256(values, rows, channels, min, max),
            KernelIsa.Vector128 => MinMax128(values, rows, channels, min, max),
            _ => 0,
        };
        for (int r = 1; r < rows; r++)
        {
            for (int c = done; c < channels; c++)
            {
                float v = values[(r * channels) + c];
                min[c] = Math.Min(min[c], v);
                max[c] = Math.Max(max[c], v);
            }
        }
    }

    /// <summary>Affine quantization with per-column scale and zero point (as floats), to bytes (low byte of the int).</summary>
    public static void Quantize(ReadOnlySpan<float> values, int rows, int channels, ReadOnlySpan<float> scales, ReadOnlySpan<float> zeroPoints, int lo, int hi, Span<byte> destination, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => Quantize512(values, rows, channels, scales, zeroPoints, lo, hi, destination),
            KernelIsa.Vector256 => Quantize256(values, rows, channels, scales, zeroPoints, lo, hi, destination),
            KernelIsa.Vector128 => Quantize128(values, rows, channels, scales, zeroPoints, lo, hi, destination),
            _ => 0,
        };
        for (int r = 0; r < rows; r++)
        {
            for (int c = done; c < channels; c++)
            {
                int i = (r * channels) + c;
                destination[i] = (byte)AffineKernels.QuantizeOne(values[i], scales[c], (int)zeroPoints[c], lo, hi);
            }
        }
    }
}
