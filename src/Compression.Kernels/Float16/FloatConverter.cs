using System.Runtime.InteropServices;

namespace Compression.Kernels;

/// <summary>
/// float32 to float16 / bfloat16 and back. bfloat16 values are passed as their raw bits (<see cref="ushort"/>),
/// as stored in an ONNX tensor's raw data.
/// </summary>
/// <remarks>
/// <para>float16: IEEE 754 round to nearest even, overflow to +/-infinity, subnormals rounded exactly, identical
/// to <c>(Half)x</c>. NaN stays NaN with its sign and top payload bits, and becomes quiet.</para>
/// <para>bfloat16: the top 16 bits of the float rounded to nearest even (overflow to +/-infinity); NaN stays
/// NaN with its sign and top payload bits, made quiet so it can never round into an infinity.</para>
/// <para>Saturating variants clamp to the largest finite value of the target type first (+/-65504 for float16,
/// +/-3.3895314e38 for bfloat16), so out-of-range values and infinities become the finite extremes; NaN stays NaN.</para>
/// <para>Widening back to float32 is exact.</para>
/// <para>float16 goes through <c>TensorPrimitives.ConvertToHalf</c>/<c>ConvertToSingle</c> (measured faster than this
/// library's own bit-manipulation kernels, which remain as the per-width reference paths and give the same bits);
/// the saturating variant uses the fused clamp-and-convert operator, measured faster than any composition.</para>
/// </remarks>
public static class FloatConverter
{
    /// <summary>Largest finite bfloat16 (bits 0x7F7F).</summary>
    public const float BFloat16MaxValue = 3.38953139e38f;

    /// <summary>float32 to float16, round to nearest even, overflow to infinity.</summary>
    public static void ToHalf(ReadOnlySpan<float> source, Span<Half> destination)
    {
        if (destination.Length < source.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        FloatConversionKernels.ToHalfFastest(source, destination, saturate: false);
    }

    /// <summary>float32 to float16 clamping to [-65504, 65504] (NaN stays NaN).</summary>
    public static void ToHalfSaturating(ReadOnlySpan<float> source, Span<Half> destination)
    {
        if (destination.Length < source.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        FloatConversionKernels.ToHalfFastest(source, destination, saturate: true);
    }

    /// <summary>float32 to bfloat16 bits, round to nearest even, overflow to infinity.</summary>
    public static void ToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination) =>
        ToBFloat16(source, destination, saturate: false, KernelIsaSelector.Best);

    /// <summary>float32 to bfloat16 bits clamping to the finite range (NaN stays NaN).</summary>
    public static void ToBFloat16Saturating(ReadOnlySpan<float> source, Span<ushort> destination) =>
        ToBFloat16(source, destination, saturate: true, KernelIsaSelector.Best);

    /// <summary>float16 to float32 (exact).</summary>
    public static void FromHalf(ReadOnlySpan<Half> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        FloatConversionKernels.FromHalfFastest(source, destination);
    }

    /// <summary>bfloat16 bits to float32 (exact).</summary>
    public static void FromBFloat16(ReadOnlySpan<ushort> source, Span<float> destination) =>
        FromBFloat16(source, destination, KernelIsaSelector.Best);

    /// <summary><see cref="ToHalf(ReadOnlySpan{float}, Span{Half})"/> split over all cores (identical result).</summary>
    public static void ToHalfParallel(ReadOnlySpan<float> source, Span<Half> destination) =>
        ParallelConvert.ToHalf(source, destination);

    /// <summary><see cref="ToBFloat16(ReadOnlySpan{float}, Span{ushort})"/> split over all cores (identical result).</summary>
    public static void ToBFloat16Parallel(ReadOnlySpan<float> source, Span<ushort> destination) =>
        ParallelConvert.ToBFloat16(source, destination, saturate: false, KernelIsaSelector.Best);

    internal static void ToHalf(ReadOnlySpan<float> source, Span<ushort> destination, bool saturate, KernelIsa isa)
    {
        if (destination.Length < source.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        FloatConversionKernels.ToHalf(source, destination, saturate, isa);
    }

    internal static void ToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination, bool saturate, KernelIsa isa)
    {
        if (destination.Length < source.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        FloatConversionKernels.ToBFloat16(source, destination, saturate, isa);
    }

    internal static void FromHalf(ReadOnlySpan<ushort> source, Span<float> destination, KernelIsa isa)
    {
        if (destination.Length < source.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        FloatConversionKernels.FromHalf(source, destination, isa);
    }

    internal static void FromBFloat16(ReadOnlySpan<ushort> source, Span<float> destination, KernelIsa isa)
    {
        if (destination.Length < source.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        FloatConversionKernels.FromBFloat16(source, destination, isa);
    }
}
