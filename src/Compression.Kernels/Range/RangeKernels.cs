namespace Compression.Kernels;

/// <summary>
/// Value ranges of float tensors: fused minimum and maximum, largest magnitude, per tensor, per channel
/// and per block.
/// </summary>
/// <remarks>
/// <para>NaN policy: NaN propagates. If any element of a reduced group is NaN, its minimum, maximum and
/// absolute maximum are NaN (as numpy's <c>min</c>/<c>max</c>, which ONNX Runtime's quantizer uses).</para>
/// <para>Signed zeros: -0 is treated as smaller than +0 (IEEE 754-2019 <c>minimum</c>/<c>maximum</c>,
/// the same as <see cref="Math.Min(float, float)"/>), so results do not depend on element order.</para>
/// <para>Tensors are row-major. "Per channel" views a tensor as <c>[outer, channels, inner]</c>: for axis
/// <c>a</c> of shape <c>d</c>, <c>outer</c> is the product of <c>d[0..a)</c>, <c>channels = d[a]</c> and
/// <c>inner</c> the product of <c>d[a+1..]</c>. "Per block" views it as <c>[outer, axisLength, inner]</c>
/// and splits the middle axis into blocks of <c>blockSize</c> (the last block may be short); results are
/// laid out <c>[outer, blockCount, inner]</c> as ONNX blocked quantization expects.</para>
/// </remarks>
public static class RangeKernels
{
    /// <summary>Minimum and maximum of <paramref name="values"/> in one pass; (0, 0) for an empty span.</summary>
    public static (float Min, float Max) MinMax(ReadOnlySpan<float> values) => MinMax(values, KernelIsaSelector.Best);

    /// <summary>Largest magnitude <c>max |x|</c>; 0 for an empty span; NaN if any element is NaN.</summary>
    public static float AbsMax(ReadOnlySpan<float> values) => AbsMax(values, KernelIsaSelector.Best);

    /// <summary>
    /// Per-channel minimum and maximum of a tensor viewed as <c>[outer, channels, inner]</c>.
    /// <paramref name="min"/> and <paramref name="max"/> receive <paramref name="channels"/> values each
    /// (0 for a channel with no elements).
    /// </summary>
    public static void MinMaxPerChannel(ReadOnlySpan<float> values, int outer, int channels, int inner, Span<float> min, Span<float> max) =>
        MinMaxPerChannel(values, outer, channels, inner, min, max, KernelIsaSelector.Best);

    /// <summary>Per-channel largest magnitude of a tensor viewed as <c>[outer, channels, inner]</c>.</summary>
    public static void AbsMaxPerChannel(ReadOnlySpan<float> values, int outer, int channels, int inner, Span<float> absMax) =>
        AbsMaxPerChannel(values, outer, channels, inner, absMax, KernelIsaSelector.Best);

    /// <summary>
    /// Per-block minimum and maximum of a tensor viewed as <c>[outer, axisLength, inner]</c>, with blocks of
    /// <paramref name="blockSize"/> consecutive indices along the middle axis. Outputs have
    /// <c>outer * BlockCount(axisLength, blockSize) * inner</c> elements, laid out <c>[outer, blocks, inner]</c>.
    /// </summary>
    public static void MinMaxPerBlock(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, Span<float> min, Span<float> max) =>
        MinMaxPerBlock(values, outer, axisLength, inner, blockSize, min, max, KernelIsaSelector.Best);

    /// <summary>Per-block largest magnitude, same layout as <see cref="MinMaxPerBlock(ReadOnlySpan{float}, int, int, int, int, Span{float}, Span{float})"/>.</summary>
    public static void AbsMaxPerBlock(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, Span<float> absMax) =>
        AbsMaxPerBlock(values, outer, axisLength, inner, blockSize, absMax, KernelIsaSelector.Best);

    /// <summary>Number of blocks of <paramref name="blockSize"/> covering <paramref name="length"/> (the last may be short).</summary>
    public static int BlockCount(int length, int blockSize)
    {
        ThrowHelper.CheckBlockSize(blockSize, nameof(blockSize));
        return (int)(((long)length + blockSize - 1) / blockSize);
    }

    /// <summary>
    /// <see cref="MinMax(ReadOnlySpan{float})"/> split over all cores for large tensors; the result is identical
    /// to the serial one (minimum and maximum do not depend on order).
    /// </summary>
    public static (float Min, float Max) MinMaxParallel(ReadOnlySpan<float> values) => ParallelRange.MinMax(values, KernelIsaSelector.Best);

    /// <summary><see cref="AbsMax(ReadOnlySpan{float})"/> split over all cores; identical to the serial result.</summary>
    public static float AbsMaxParallel(ReadOnlySpan<float> values) => ParallelRange.AbsMax(values, KernelIsaSelector.Best);

    internal static (float Min, float Max) MinMax(ReadOnlySpan<float> values, KernelIsa isa)
    {
        if (values.IsEmpty)
        {
            return (0f, 0f);
        }

        return RangeReduction.MinMax(values, isa);
    }

    internal static float AbsMax(ReadOnlySpan<float> values, KernelIsa isa) =>
        values.IsEmpty ? 0f : RangeReduction.AbsMax(values, isa);

    internal static void MinMaxPerChannel(ReadOnlySpan<float> values, int outer, int channels, int inner, Span<float> min, Span<float> max, KernelIsa isa)
    {
        ThrowHelper.CheckShape(values.Length, outer, channels, inner, nameof(values));
        if (min.Length < channels)
        {
            ThrowHelper.DestinationTooShort(nameof(min));
        }

        if (max.Length < channels)
        {
            ThrowHelper.DestinationTooShort(nameof(max));
        }

        RangeReduction.MinMaxStrided(values, outer, channels, inner, min[..channels], max[..channels], isa);
    }

    internal static void AbsMaxPerChannel(ReadOnlySpan<float> values, int outer, int channels, int inner, Span<float> absMax, KernelIsa isa)
    {
        ThrowHelper.CheckShape(values.Length, outer, channels, inner, nameof(values));
        if (absMax.Length < channels)
        {
            ThrowHelper.DestinationTooShort(nameof(absMax));
        }

        RangeReduction.AbsMaxStrided(values, outer, channels, inner, absMax[..channels], isa);
    }

    internal static void MinMaxPerBlock(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, Span<float> min, Span<float> max, KernelIsa isa)
    {
        ThrowHelper.CheckShape(values.Length, outer, axisLength, inner, nameof(values));
        int blocks = BlockCount(axisLength, blockSize);
        int count = outer * blocks * inner;
        if (min.Length < count)
        {
            ThrowHelper.DestinationTooShort(nameof(min));
        }

        if (max.Length < count)
        {
            ThrowHelper.DestinationTooShort(nameof(max));
        }

        RangeReduction.MinMaxBlocks(values, outer, axisLength, inner, blockSize, min[..count], max[..count], isa);
    }

    internal static void AbsMaxPerBlock(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, Span<float> absMax, KernelIsa isa)
    {
        ThrowHelper.CheckShape(values.Length, outer, axisLength, inner, nameof(values));
        int blocks = BlockCount(axisLength, blockSize);
        int count = outer * blocks * inner;
        if (absMax.Length < count)
        {
            ThrowHelper.DestinationTooShort(nameof(absMax));
        }

        RangeReduction.AbsMaxBlocks(values, outer, axisLength, inner, blockSize, absMax[..count], isa);
    }
}
