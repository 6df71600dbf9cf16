using System.Numerics.Tensors;

namespace Compression.Kernels.Float16;

/// <summary>Float conversions: one operator each (see Operators/) run by <see cref="WidthChangeDriver"/>.</summary>
internal static class FloatConversionKernels
{
    public static void ToHalf(ReadOnlySpan<float> source, Span<ushort> destination, bool saturate, KernelIsa isa)
    {
        if (saturate)
        {
            WidthChangeDriver.FloatToBits16(default(HalfSaturatingOperator), source, destination, isa);
        }
        else
        {
            WidthChangeDriver.FloatToBits16(default(HalfOperator), source, destination, isa);
        }
    }

    public static void ToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination, bool saturate, KernelIsa isa)
    {
        if (saturate)
        {
            WidthChangeDriver.FloatToBits16(default(BFloat16SaturatingOperator), source, destination, isa);
        }
        else
        {
            WidthChangeDriver.FloatToBits16(default(BFloat16Operator), source, destination, isa);
        }
    }

    public static void FromHalf(ReadOnlySpan<ushort> source, Span<float> destination, KernelIsa isa) =>
        WidthChangeDriver.Bits16ToFloat(default(HalfToSingleOperator), source, destination, isa);

    public static void FromBFloat16(ReadOnlySpan<ushort> source, Span<float> destination, KernelIsa isa) =>
        WidthChangeDriver.Bits16ToFloat(default(BFloat16ToSingleOperator), source, destination, isa);

    /// <summary>
    /// The public float16 path: TensorPrimitives' conversion for the plain case (as fast as or faster than the
    /// operator above on .NET 10, same bits); the saturating case keeps the fused operator (clamp + convert in one
    /// pass measured faster than clamping chunks and calling TensorPrimitives).
    /// </summary>
    public static void ToHalfFastest(ReadOnlySpan<float> source, Span<Half> destination, bool saturate)
    {
        if (saturate)
        {
            ToHalf(source, System.Runtime.InteropServices.MemoryMarshal.Cast<Half, ushort>(destination), saturate: true, KernelIsaSelector.Best);
            return;
        }

        TensorPrimitives.ConvertToHalf(source, destination);
    }

    public static void FromHalfFastest(ReadOnlySpan<Half> source, Span<float> destination) =>
        TensorPrimitives.ConvertToSingle(source, destination);
}
