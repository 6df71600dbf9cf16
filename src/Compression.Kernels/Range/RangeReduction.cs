using System.Diagnostics;

namespace Compression.Kernels.Range;

/// <summary>Range reductions (min/max, abs-max) behind <see cref="RangeKernels"/>; arguments are checked by the caller.</summary>
internal static partial class RangeReduction
{
    public static (float Min, float Max) MinMax(ReadOnlySpan<float> values, KernelIsa isa)
    {
        Debug.Assert(!values.IsEmpty);
        return isa switch
        {
            KernelIsa.Vector512 when values.Length >= 16 => MinMaxVector512(values),
            KernelIsa.Vector256 or KernelIsa.Vector512 when values.Length >= 8 => MinMaxVector256(values),
            KernelIsa.Vector128 or KernelIsa.Vector256 or KernelIsa.Vector512 when values.Length >= 4 => MinMaxVector128(values),
            _ => MinMaxScalar(values),
        };
    }

    public static float AbsMax(ReadOnlySpan<float> values, KernelIsa isa)
    {
        Debug.Assert(!values.IsEmpty);
        return isa switch
        {
            KernelIsa.Vector512 when values.Length >= 16 => AbsMaxVector512(values),
            KernelIsa.Vector256 or KernelIsa.Vector512 when values.Length >= 8 => AbsMaxVector256(values),
            KernelIsa.Vector128 or KernelIsa.Vector256 or KernelIsa.Vector512 when values.Length >= 4 => AbsMaxVector128(values),
            _ => AbsMaxScalar(values),
        };
    }

    public static (float Min, float Max) MinMaxScalar(ReadOnlySpan<float> values)
    {
        float min = values[0];
        float max = values[0];
        for (int i = 1; i < values.Length; i++)
        {
            min = Math.Min(min, values[i]);
            max = Math.Max(max, values[i]);
        }

        return (min, max);
    }

    public static float AbsMaxScalar(ReadOnlySpan<float> values)
    {
        float max = Math.Abs(values[0]);
        for (int i = 1; i < values.Length; i++)
        {
            max = Math.Max(max, Math.Abs(values[i]));
        }

        return max;
    }

    /// <summary>Per-channel min/max over <c>[outer, channels, inner]</c>.</summary>
    public static void MinMaxStrided(ReadOnlySpan<float> values, int outer, int channels, int inner, Span<float> min, Span<float> max, KernelIsa isa)
    {
        if (outer == 0 || inner == 0)
        {
            min.Clear();
            max.Clear();
            return;
        }

        if (inner == 1)
        {
            // Channels are the contiguous axis: fold each row of `channels` elements into the outputs, elementwise.
            values[..channels].CopyTo(min);
            values[..channels].CopyTo(max);
            ChannelStrips.MinMax(values, outer, channels, min, max, isa);
            return;
        }

        for (int c = 0; c < channels; c++)
        {
            float mn = float.PositiveInfinity;
            float mx = float.NegativeInfinity;
            for (int o = 0; o < outer; o++)
            {
                var (a, b) = MinMax(values.Slice(((o * channels) + c) * inner, inner), isa);
                mn = Math.Min(mn, a);
                mx = Math.Max(mx, b);
            }

            min[c] = mn;
            max[c] = mx;
        }
    }

    public static void AbsMaxStrided(ReadOnlySpan<float> values, int outer, int channels, int inner, Span<float> absMax, KernelIsa isa)
    {
        if (outer == 0 || inner == 0)
        {
            absMax.Clear();
            return;
        }

        if (inner == 1)
        {
            ElementwiseRange.AbsInto(values[..channels], absMax, isa);
            for (int o = 1; o < outer; o++)
            {
                ElementwiseRange.AbsMaxInto(values.Slice(o * channels, channels), absMax, isa);
            }

            return;
        }

        for (int c = 0; c < channels; c++)
        {
            float mx = 0f;
            for (int o = 0; o < outer; o++)
            {
                mx = Math.Max(mx, AbsMax(values.Slice(((o * channels) + c) * inner, inner), isa));
            }

            absMax[c] = mx;
        }
    }

    /// <summary>Per-block min/max over <c>[outer, axisLength, inner]</c>, blocks along the middle axis.</summary>
    public static void MinMaxBlocks(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, Span<float> min, Span<float> max, KernelIsa isa)
    {
        int blocks = RangeKernels.BlockCount(axisLength, blockSize);
        for (int o = 0; o < outer; o++)
        {
            for (int b = 0; b < blocks; b++)
            {
                int start = b * blockSize;
                int length = Math.Min(blockSize, axisLength - start);
                int outBase = ((o * blocks) + b) * inner;
                if (inner == 1)
                {
                    var (mn, mx) = MinMax(values.Slice((o * axisLength) + start, length), isa);
                    min[outBase] = mn;
                    max[outBase] = mx;
                    continue;
                }

                // Rows of `inner` contiguous elements: fold them elementwise.
                Span<float> minRow = min.Slice(outBase, inner);
                Span<float> maxRow = max.Slice(outBase, inner);
                ReadOnlySpan<float> first = values.Slice(((o * axisLength) + start) * inner, inner);
                first.CopyTo(minRow);
                first.CopyTo(maxRow);
                for (int a = 1; a < length; a++)
                {
                    ElementwiseRange.MinMaxInto(values.Slice(((o * axisLength) + start + a) * inner, inner), minRow, maxRow, isa);
                }
            }
        }
    }

    public static void AbsMaxBlocks(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, Span<float> absMax, KernelIsa isa)
    {
        int blocks = RangeKernels.BlockCount(axisLength, blockSize);
        for (int o = 0; o < outer; o++)
        {
            for (int b = 0; b < blocks; b++)
            {
                int start = b * blockSize;
                int length = Math.Min(blockSize, axisLength - start);
                int outBase = ((o * blocks) + b) * inner;
                if (inner == 1)
                {
                    absMax[outBase] = AbsMax(values.Slice((o * axisLength) + start, length), isa);
                    continue;
                }

                Span<float> row = absMax.Slice(outBase, inner);
                ElementwiseRange.AbsInto(values.Slice(((o * axisLength) + start) * inner, inner), row, isa);
                for (int a = 1; a < length; a++)
                {
                    ElementwiseRange.AbsMaxInto(values.Slice(((o * axisLength) + start + a) * inner, inner), row, isa);
                }
            }
        }
    }
}
