namespace Compression.Kernels.Affine;

internal static unsafe class ParallelQuantize
{
    public static void Quantize(ReadOnlySpan<float> values, float scale, int zeroPoint, Span<byte> destination, QuantizedType type, KernelIsa isa)
    {
        if (destination.Length < values.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(destination));
        }

        if (!ParallelChunks.IsWorthSplitting(values.Length))
        {
            AffineQuantizer.Quantize(values, scale, zeroPoint, destination, type, isa);
            return;
        }

        var (lo, hi) = QuantizationParameters.StorageRange(type);
        fixed (float* source = values)
        fixed (byte* target = destination)
        {
            nint s = (nint)source, t = (nint)target;
            ParallelChunks.For(values.Length, (_, start, count) =>
                AffineKernels.Quantize(new ReadOnlySpan<float>((float*)s + start, count), scale, zeroPoint, lo, hi, new Span<byte>((byte*)t + start, count), isa));
        }
    }
}
