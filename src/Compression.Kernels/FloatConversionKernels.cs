namespace Compression.Kernels;

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
}
