using System.Numerics.Tensors;

namespace Compression.Kernels.Range;

/// <summary>
/// Elementwise folds used when the reduced axis is not the contiguous one (rows are folded into an
/// accumulator row). Min/max go through <see cref="RowFolds"/> (one pass for both); abs and abs-max use
/// <see cref="TensorPrimitives"/>, which vectorises them at full width with the same NaN and signed-zero rules
/// as <see cref="Math.Max(float, float)"/>.
/// </summary>
internal static class ElementwiseRange
{
    public static void MinMaxInto(ReadOnlySpan<float> row, Span<float> min, Span<float> max, KernelIsa isa)
    {
        if (isa == KernelIsa.Scalar)
        {
            for (int i = 0; i < row.Length; i++)
            {
                min[i] = Math.Min(min[i], row[i]);
                max[i] = Math.Max(max[i], row[i]);
            }

            return;
        }

        RowFolds.MinMax(row, min, max, isa);
    }

    public static void AbsInto(ReadOnlySpan<float> row, Span<float> destination, KernelIsa isa)
    {
        if (isa == KernelIsa.Scalar)
        {
            for (int i = 0; i < row.Length; i++)
            {
                destination[i] = Math.Abs(row[i]);
            }

            return;
        }

        TensorPrimitives.Abs(row, destination);
    }

    public static void AbsMaxInto(ReadOnlySpan<float> row, Span<float> absMax, KernelIsa isa)
    {
        if (isa == KernelIsa.Scalar)
        {
            for (int i = 0; i < row.Length; i++)
            {
                absMax[i] = Math.Max(absMax[i], Math.Abs(row[i]));
            }

            return;
        }

        Span<float> scratch = stackalloc float[256];
        for (int start = 0; start < row.Length; start += scratch.Length)
        {
            int count = Math.Min(scratch.Length, row.Length - start);
            Span<float> abs = scratch[..count];
            TensorPrimitives.Abs(row.Slice(start, count), abs);
            Span<float> target = absMax.Slice(start, count);
            TensorPrimitives.Max(target, abs, target);
        }
    }
}
