using System.Numerics.Tensors;

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

    /// <summary>
    /// The public float16 path: TensorPrimitives' conversion (faster on .NET 10 than the operators above, same
    /// bits); saturating clamps 1024 floats at a time into a stack buffer first, so it stays one pass over memory.
    /// </summary>
    public static void ToHalfFastest(ReadOnlySpan<float> source, Span<Half> destination, bool saturate)
    {
        if (!saturate)
        {
            TensorPrimitives.ConvertToHalf(source, destination);
            return;
        }

        Span<float> clamped = stackalloc float[1024];
        for (int start = 0; start < source.Length; start += clamped.Length)
        {
            int count = Math.Min(clamped.Length, source.Length - start);
            Span<float> chunk = clamped[..count];
            TensorPrimitives.Clamp(source.Slice(start, count), -65504f, 65504f, chunk);
            TensorPrimitives.ConvertToHalf(chunk, destination.Slice(start, count));
        }
    }

    public static void FromHalfFastest(ReadOnlySpan<Half> source, Span<float> destination) =>
        TensorPrimitives.ConvertToSingle(source, destination);
}
