namespace Compression.Kernels.Float16;

internal static unsafe class ParallelConvert
{
    public static void ToHalf(ReadOnlySpan<float> source, Span<Half> destination)
    {
        if (destination.Length < source.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        if (!ParallelChunks.IsWorthSplitting(source.Length))
        {
            FloatConversionKernels.ToHalfFastest(source, destination, saturate: false);
            return;
        }

        fixed (float* s = source)
        fixed (Half* t = destination)
        {
            nint sa = (nint)s, ta = (nint)t;
            ParallelChunks.For(source.Length, (_, start, count) =>
                FloatConversionKernels.ToHalfFastest(new ReadOnlySpan<float>((float*)sa + start, count), new Span<Half>((Half*)ta + start, count), saturate: false));
        }
    }

    public static void ToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination, bool saturate, KernelIsa isa)
    {
        if (destination.Length < source.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        if (!ParallelChunks.IsWorthSplitting(source.Length))
        {
            FloatConversionKernels.ToBFloat16(source, destination, saturate, isa);
            return;
        }

        fixed (float* s = source)
        fixed (ushort* t = destination)
        {
            nint sa = (nint)s, ta = (nint)t;
            ParallelChunks.For(source.Length, (_, start, count) =>
                FloatConversionKernels.ToBFloat16(new ReadOnlySpan<float>((float*)sa + start, count), new Span<ushort>((ushort*)ta + start, count), saturate, isa));
        }
    }
}
