using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// Row operations of the banded MatMulNBits quantizer, written once for Vector512 in MatMulNBitsKernels.Rows.Width.cs (VectorWidths.targets derives the narrower widths). A row is one K
// index across all N columns (contiguous in B[K, N]); each lane is one column.
internal static partial class MatMulNBitsKernels
{
    /// <summary>
    /// Per-column MLAS parameters from the band's ranges: writes the scales over <paramref name="min"/>, and the
    /// reciprocal scales and zero points (as floats) for <see cref="QuantizeRow"/>.
    /// </summary>
    private static void ComputeParameters(Span<float> min, ReadOnlySpan<float> max, bool symmetric, Span<float> reciprocal, Span<float> zeroPoint, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => ComputeParameters512(min, max, symmetric, reciprocal, zeroPoint),
            KernelIsa.Vector256 => ComputeParameters256(min, max, symmetric, reciprocal, zeroPoint),
            KernelIsa.Vector128 => ComputeParameters128(min, max, symmetric, reciprocal, zeroPoint),
            _ => 0,
        };
        for (int i = done; i < min.Length; i++)
        {
            var (scale, zp) = MlasBlockRule.ScaleAndZeroPoint(min[i], max[i], symmetric);
            min[i] = scale;
            reciprocal[i] = scale != 0f ? 1f / scale : 0f;
            zeroPoint[i] = zp;
        }
    }

    /// <summary>low[i] = packed[i] &amp; 0xF, high[i] = packed[i] &gt;&gt; 4.</summary>
    private static void SplitNibbles(ReadOnlySpan<byte> packed, Span<byte> low, Span<byte> high, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => SplitNibbles512(packed, low, high),
            KernelIsa.Vector256 => SplitNibbles256(packed, low, high),
            KernelIsa.Vector128 => SplitNibbles128(packed, low, high),
            _ => 0,
        };
        for (int i = done; i < packed.Length; i++)
        {
            low[i] = (byte)(packed[i] & 0xF);
            high[i] = (byte)(packed[i] >> 4);
        }
    }

    /// <summary>destination[i] = (q[i] - zeroPoint[i]) * scale[i].</summary>
    private static void DequantizeRow(ReadOnlySpan<byte> levels, ReadOnlySpan<float> scale, ReadOnlySpan<float> zeroPoint, Span<float> destination, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => DequantizeRow512(levels, scale, zeroPoint, destination),
            KernelIsa.Vector256 => DequantizeRow256(levels, scale, zeroPoint, destination),
            KernelIsa.Vector128 => DequantizeRow128(levels, scale, zeroPoint, destination),
            _ => 0,
        };
        for (int i = done; i < levels.Length; i++)
        {
            destination[i] = (levels[i] - (int)zeroPoint[i]) * scale[i];
        }
    }

    /// <summary>Folds one row into per-column min/max with MLAS's `v &lt; min` / `v &gt; max` scan (NaN never enters).</summary>
    private static void FoldRange(ReadOnlySpan<float> row, Span<float> min, Span<float> max, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => FoldRange512(row, min, max),
            KernelIsa.Vector256 => FoldRange256(row, min, max),
            KernelIsa.Vector128 => FoldRange128(row, min, max),
            _ => 0,
        };
        for (int i = done; i < row.Length; i++)
        {
            float v = row[i];
            if (v < min[i])
            {
                min[i] = v;
            }

            if (v > max[i])
            {
                max[i] = v;
            }
        }
    }

    /// <summary>Quantizes one row with per-column reciprocal scales and zero points (MLAS rounding) to bytes 0..15.</summary>
    private static void QuantizeRow(ReadOnlySpan<float> row, ReadOnlySpan<float> reciprocal, ReadOnlySpan<float> zeroPoint, Span<byte> destination, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => QuantizeRow512(row, reciprocal, zeroPoint, destination),
            KernelIsa.Vector256 => QuantizeRow256(row, reciprocal, zeroPoint, destination),
            KernelIsa.Vector128 => QuantizeRow128(row, reciprocal, zeroPoint, destination),
            _ => 0,
        };
        for (int i = done; i < row.Length; i++)
        {
            destination[i] = (byte)MlasBlockRule.QuantizeLevel(row[i], reciprocal[i], (int)zeroPoint[i]);
        }
    }

    /// <summary><c>destination[i] = low[i] | (high[i] &lt;&lt; 4)</c>: two quantized rows become one row of packed bytes.</summary>
    private static void CombineNibbles(ReadOnlySpan<byte> low, ReadOnlySpan<byte> high, Span<byte> destination, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => CombineNibbles512(low, high, destination),
            KernelIsa.Vector256 => CombineNibbles256(low, high, destination),
            KernelIsa.Vector128 => CombineNibbles128(low, high, destination),
            _ => 0,
        };
        for (int i = done; i < low.Length; i++)
        {
            destination[i] = (byte)(low[i] | (high[i] << 4));
        }
    }
}
