using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

/// <summary>
/// Per-channel kernels for tensors whose channel axis is the contiguous one (<c>[rows, channels]</c>, e.g. a MatMul
/// weight <c>[K, N]</c> with a scale per output column). Work goes in strips of 4 vectors of channels over blocks of
/// 16 rows, so the per-channel accumulators or parameters stay in registers while the row block stays in cache.
/// Generated per width from one template; leftover columns run the scalar loop.
/// </summary>
internal static class ChannelStrips
{
    private const int RowBlock = 16;

    /// <summary>Folds rows 1.. into min/max, which hold row 0 on entry (IEEE minimum/maximum).</summary>
    public static void MinMax(ReadOnlySpan<float> values, int rows, int channels, Span<float> min, Span<float> max, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => MinMax512(values, rows, channels, min, max),
            KernelIsa.Vector256 => MinMax256(values, rows, channels, min, max),
            KernelIsa.Vector128 => MinMax128(values, rows, channels, min, max),
            _ => 0,
        };
        for (int r = 1; r < rows; r++)
        {
            for (int c = done; c < channels; c++)
            {
                float v = values[(r * channels) + c];
                min[c] = Math.Min(min[c], v);
                max[c] = Math.Max(max[c], v);
            }
        }
    }

    /// <summary>Affine quantization with per-column scale and zero point (as floats), to bytes (low byte of the int).</summary>
    public static void Quantize(ReadOnlySpan<float> values, int rows, int channels, ReadOnlySpan<float> scales, ReadOnlySpan<float> zeroPoints, int lo, int hi, Span<byte> destination, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => Quantize512(values, rows, channels, scales, zeroPoints, lo, hi, destination),
            KernelIsa.Vector256 => Quantize256(values, rows, channels, scales, zeroPoints, lo, hi, destination),
            KernelIsa.Vector128 => Quantize128(values, rows, channels, scales, zeroPoints, lo, hi, destination),
            _ => 0,
        };
        for (int r = 0; r < rows; r++)
        {
            for (int c = done; c < channels; c++)
            {
                int i = (r * channels) + c;
                destination[i] = (byte)AffineKernels.QuantizeOne(values[i], scales[c], (int)zeroPoints[c], lo, hi);
            }
        }
    }

    private static int MinMax512(ReadOnlySpan<float> values, int rows, int channels, Span<float> min, Span<float> max)
    {
        const int W = 16;
        ref float x = ref MemoryMarshal.GetReference(values);
        ref float mn = ref MemoryMarshal.GetReference(min);
        ref float mx = ref MemoryMarshal.GetReference(max);
        int strips = channels / (4 * W) * (4 * W);
        for (int r0 = 1; r0 < rows; r0 += RowBlock)
        {
            int r1 = Math.Min(rows, r0 + RowBlock);
            for (int c = 0; c < strips; c += 4 * W)
            {
                nuint cc = (nuint)c;
                var a0 = Vector512.LoadUnsafe(ref mn, cc);
                var a1 = Vector512.LoadUnsafe(ref mn, cc + W);
                var a2 = Vector512.LoadUnsafe(ref mn, cc + (2 * W));
                var a3 = Vector512.LoadUnsafe(ref mn, cc + (3 * W));
                var b0 = Vector512.LoadUnsafe(ref mx, cc);
                var b1 = Vector512.LoadUnsafe(ref mx, cc + W);
                var b2 = Vector512.LoadUnsafe(ref mx, cc + (2 * W));
                var b3 = Vector512.LoadUnsafe(ref mx, cc + (3 * W));
                for (int r = r0; r < r1; r++)
                {
                    nuint at = ((nuint)r * (nuint)channels) + cc;
                    var v0 = Vector512.LoadUnsafe(ref x, at);
                    var v1 = Vector512.LoadUnsafe(ref x, at + W);
                    var v2 = Vector512.LoadUnsafe(ref x, at + (2 * W));
                    var v3 = Vector512.LoadUnsafe(ref x, at + (3 * W));
                    a0 = Vector512.Min(a0, v0); b0 = Vector512.Max(b0, v0);
                    a1 = Vector512.Min(a1, v1); b1 = Vector512.Max(b1, v1);
                    a2 = Vector512.Min(a2, v2); b2 = Vector512.Max(b2, v2);
                    a3 = Vector512.Min(a3, v3); b3 = Vector512.Max(b3, v3);
                }

                a0.StoreUnsafe(ref mn, cc);
                a1.StoreUnsafe(ref mn, cc + W);
                a2.StoreUnsafe(ref mn, cc + (2 * W));
                a3.StoreUnsafe(ref mn, cc + (3 * W));
                b0.StoreUnsafe(ref mx, cc);
                b1.StoreUnsafe(ref mx, cc + W);
                b2.StoreUnsafe(ref mx, cc + (2 * W));
                b3.StoreUnsafe(ref mx, cc + (3 * W));
            }
        }

        return strips;
    }

    private static int Quantize512(ReadOnlySpan<float> values, int rows, int channels, ReadOnlySpan<float> scales, ReadOnlySpan<float> zeroPoints, int lo, int hi, Span<byte> destination)
    {
        const int W = 16;
        ref float x = ref MemoryMarshal.GetReference(values);
        ref float s = ref MemoryMarshal.GetReference(scales);
        ref float z = ref MemoryMarshal.GetReference(zeroPoints);
        ref byte d = ref MemoryMarshal.GetReference(destination);
        var l = Vector512.Create((float)lo);
        var h = Vector512.Create((float)hi);
        int strips = channels / (4 * W) * (4 * W);
        for (int r0 = 0; r0 < rows; r0 += RowBlock)
        {
            int r1 = Math.Min(rows, r0 + RowBlock);
            for (int c = 0; c < strips; c += 4 * W)
            {
                nuint cc = (nuint)c;
                var s0 = Vector512.LoadUnsafe(ref s, cc);
                var s1 = Vector512.LoadUnsafe(ref s, cc + W);
                var s2 = Vector512.LoadUnsafe(ref s, cc + (2 * W));
                var s3 = Vector512.LoadUnsafe(ref s, cc + (3 * W));
                var z0 = Vector512.LoadUnsafe(ref z, cc);
                var z1 = Vector512.LoadUnsafe(ref z, cc + W);
                var z2 = Vector512.LoadUnsafe(ref z, cc + (2 * W));
                var z3 = Vector512.LoadUnsafe(ref z, cc + (3 * W));
                for (int r = r0; r < r1; r++)
                {
                    nuint at = ((nuint)r * (nuint)channels) + cc;
                    var q0 = AffineKernels.QuantizeStep(Vector512.LoadUnsafe(ref x, at), s0, z0, l, h);
                    var q1 = AffineKernels.QuantizeStep(Vector512.LoadUnsafe(ref x, at + W), s1, z1, l, h);
                    var q2 = AffineKernels.QuantizeStep(Vector512.LoadUnsafe(ref x, at + (2 * W)), s2, z2, l, h);
                    var q3 = AffineKernels.QuantizeStep(Vector512.LoadUnsafe(ref x, at + (3 * W)), s3, z3, l, h);
                    Vector512.Narrow(Vector512.Narrow(q0, q1), Vector512.Narrow(q2, q3)).AsByte().StoreUnsafe(ref d, at);
                }
            }
        }

        return strips;
    }

    private static int MinMax256(ReadOnlySpan<float> values, int rows, int channels, Span<float> min, Span<float> max)
    {
        const int W = 8;
        ref float x = ref MemoryMarshal.GetReference(values);
        ref float mn = ref MemoryMarshal.GetReference(min);
        ref float mx = ref MemoryMarshal.GetReference(max);
        int strips = channels / (4 * W) * (4 * W);
        for (int r0 = 1; r0 < rows; r0 += RowBlock)
        {
            int r1 = Math.Min(rows, r0 + RowBlock);
            for (int c = 0; c < strips; c += 4 * W)
            {
                nuint cc = (nuint)c;
                var a0 = Vector256.LoadUnsafe(ref mn, cc);
                var a1 = Vector256.LoadUnsafe(ref mn, cc + W);
                var a2 = Vector256.LoadUnsafe(ref mn, cc + (2 * W));
                var a3 = Vector256.LoadUnsafe(ref mn, cc + (3 * W));
                var b0 = Vector256.LoadUnsafe(ref mx, cc);
                var b1 = Vector256.LoadUnsafe(ref mx, cc + W);
                var b2 = Vector256.LoadUnsafe(ref mx, cc + (2 * W));
                var b3 = Vector256.LoadUnsafe(ref mx, cc + (3 * W));
                for (int r = r0; r < r1; r++)
                {
                    nuint at = ((nuint)r * (nuint)channels) + cc;
                    var v0 = Vector256.LoadUnsafe(ref x, at);
                    var v1 = Vector256.LoadUnsafe(ref x, at + W);
                    var v2 = Vector256.LoadUnsafe(ref x, at + (2 * W));
                    var v3 = Vector256.LoadUnsafe(ref x, at + (3 * W));
                    a0 = Vector256.Min(a0, v0); b0 = Vector256.Max(b0, v0);
                    a1 = Vector256.Min(a1, v1); b1 = Vector256.Max(b1, v1);
                    a2 = Vector256.Min(a2, v2); b2 = Vector256.Max(b2, v2);
                    a3 = Vector256.Min(a3, v3); b3 = Vector256.Max(b3, v3);
                }

                a0.StoreUnsafe(ref mn, cc);
                a1.StoreUnsafe(ref mn, cc + W);
                a2.StoreUnsafe(ref mn, cc + (2 * W));
                a3.StoreUnsafe(ref mn, cc + (3 * W));
                b0.StoreUnsafe(ref mx, cc);
                b1.StoreUnsafe(ref mx, cc + W);
                b2.StoreUnsafe(ref mx, cc + (2 * W));
                b3.StoreUnsafe(ref mx, cc + (3 * W));
            }
        }

        return strips;
    }

    private static int Quantize256(ReadOnlySpan<float> values, int rows, int channels, ReadOnlySpan<float> scales, ReadOnlySpan<float> zeroPoints, int lo, int hi, Span<byte> destination)
    {
        const int W = 8;
        ref float x = ref MemoryMarshal.GetReference(values);
        ref float s = ref MemoryMarshal.GetReference(scales);
        ref float z = ref MemoryMarshal.GetReference(zeroPoints);
        ref byte d = ref MemoryMarshal.GetReference(destination);
        var l = Vector256.Create((float)lo);
        var h = Vector256.Create((float)hi);
        int strips = channels / (4 * W) * (4 * W);
        for (int r0 = 0; r0 < rows; r0 += RowBlock)
        {
            int r1 = Math.Min(rows, r0 + RowBlock);
            for (int c = 0; c < strips; c += 4 * W)
            {
                nuint cc = (nuint)c;
                var s0 = Vector256.LoadUnsafe(ref s, cc);
                var s1 = Vector256.LoadUnsafe(ref s, cc + W);
                var s2 = Vector256.LoadUnsafe(ref s, cc + (2 * W));
                var s3 = Vector256.LoadUnsafe(ref s, cc + (3 * W));
                var z0 = Vector256.LoadUnsafe(ref z, cc);
                var z1 = Vector256.LoadUnsafe(ref z, cc + W);
                var z2 = Vector256.LoadUnsafe(ref z, cc + (2 * W));
                var z3 = Vector256.LoadUnsafe(ref z, cc + (3 * W));
                for (int r = r0; r < r1; r++)
                {
                    nuint at = ((nuint)r * (nuint)channels) + cc;
                    var q0 = AffineKernels.QuantizeStep(Vector256.LoadUnsafe(ref x, at), s0, z0, l, h);
                    var q1 = AffineKernels.QuantizeStep(Vector256.LoadUnsafe(ref x, at + W), s1, z1, l, h);
                    var q2 = AffineKernels.QuantizeStep(Vector256.LoadUnsafe(ref x, at + (2 * W)), s2, z2, l, h);
                    var q3 = AffineKernels.QuantizeStep(Vector256.LoadUnsafe(ref x, at + (3 * W)), s3, z3, l, h);
                    Vector256.Narrow(Vector256.Narrow(q0, q1), Vector256.Narrow(q2, q3)).AsByte().StoreUnsafe(ref d, at);
                }
            }
        }

        return strips;
    }

    private static int MinMax128(ReadOnlySpan<float> values, int rows, int channels, Span<float> min, Span<float> max)
    {
        const int W = 4;
        ref float x = ref MemoryMarshal.GetReference(values);
        ref float mn = ref MemoryMarshal.GetReference(min);
        ref float mx = ref MemoryMarshal.GetReference(max);
        int strips = channels / (4 * W) * (4 * W);
        for (int r0 = 1; r0 < rows; r0 += RowBlock)
        {
            int r1 = Math.Min(rows, r0 + RowBlock);
            for (int c = 0; c < strips; c += 4 * W)
            {
                nuint cc = (nuint)c;
                var a0 = Vector128.LoadUnsafe(ref mn, cc);
                var a1 = Vector128.LoadUnsafe(ref mn, cc + W);
                var a2 = Vector128.LoadUnsafe(ref mn, cc + (2 * W));
                var a3 = Vector128.LoadUnsafe(ref mn, cc + (3 * W));
                var b0 = Vector128.LoadUnsafe(ref mx, cc);
                var b1 = Vector128.LoadUnsafe(ref mx, cc + W);
                var b2 = Vector128.LoadUnsafe(ref mx, cc + (2 * W));
                var b3 = Vector128.LoadUnsafe(ref mx, cc + (3 * W));
                for (int r = r0; r < r1; r++)
                {
                    nuint at = ((nuint)r * (nuint)channels) + cc;
                    var v0 = Vector128.LoadUnsafe(ref x, at);
                    var v1 = Vector128.LoadUnsafe(ref x, at + W);
                    var v2 = Vector128.LoadUnsafe(ref x, at + (2 * W));
                    var v3 = Vector128.LoadUnsafe(ref x, at + (3 * W));
                    a0 = Vector128.Min(a0, v0); b0 = Vector128.Max(b0, v0);
                    a1 = Vector128.Min(a1, v1); b1 = Vector128.Max(b1, v1);
                    a2 = Vector128.Min(a2, v2); b2 = Vector128.Max(b2, v2);
                    a3 = Vector128.Min(a3, v3); b3 = Vector128.Max(b3, v3);
                }

                a0.StoreUnsafe(ref mn, cc);
                a1.StoreUnsafe(ref mn, cc + W);
                a2.StoreUnsafe(ref mn, cc + (2 * W));
                a3.StoreUnsafe(ref mn, cc + (3 * W));
                b0.StoreUnsafe(ref mx, cc);
                b1.StoreUnsafe(ref mx, cc + W);
                b2.StoreUnsafe(ref mx, cc + (2 * W));
                b3.StoreUnsafe(ref mx, cc + (3 * W));
            }
        }

        return strips;
    }

    private static int Quantize128(ReadOnlySpan<float> values, int rows, int channels, ReadOnlySpan<float> scales, ReadOnlySpan<float> zeroPoints, int lo, int hi, Span<byte> destination)
    {
        const int W = 4;
        ref float x = ref MemoryMarshal.GetReference(values);
        ref float s = ref MemoryMarshal.GetReference(scales);
        ref float z = ref MemoryMarshal.GetReference(zeroPoints);
        ref byte d = ref MemoryMarshal.GetReference(destination);
        var l = Vector128.Create((float)lo);
        var h = Vector128.Create((float)hi);
        int strips = channels / (4 * W) * (4 * W);
        for (int r0 = 0; r0 < rows; r0 += RowBlock)
        {
            int r1 = Math.Min(rows, r0 + RowBlock);
            for (int c = 0; c < strips; c += 4 * W)
            {
                nuint cc = (nuint)c;
                var s0 = Vector128.LoadUnsafe(ref s, cc);
                var s1 = Vector128.LoadUnsafe(ref s, cc + W);
                var s2 = Vector128.LoadUnsafe(ref s, cc + (2 * W));
                var s3 = Vector128.LoadUnsafe(ref s, cc + (3 * W));
                var z0 = Vector128.LoadUnsafe(ref z, cc);
                var z1 = Vector128.LoadUnsafe(ref z, cc + W);
                var z2 = Vector128.LoadUnsafe(ref z, cc + (2 * W));
                var z3 = Vector128.LoadUnsafe(ref z, cc + (3 * W));
                for (int r = r0; r < r1; r++)
                {
                    nuint at = ((nuint)r * (nuint)channels) + cc;
                    var q0 = AffineKernels.QuantizeStep(Vector128.LoadUnsafe(ref x, at), s0, z0, l, h);
                    var q1 = AffineKernels.QuantizeStep(Vector128.LoadUnsafe(ref x, at + W), s1, z1, l, h);
                    var q2 = AffineKernels.QuantizeStep(Vector128.LoadUnsafe(ref x, at + (2 * W)), s2, z2, l, h);
                    var q3 = AffineKernels.QuantizeStep(Vector128.LoadUnsafe(ref x, at + (3 * W)), s3, z3, l, h);
                    Vector128.Narrow(Vector128.Narrow(q0, q1), Vector128.Narrow(q2, q3)).AsByte().StoreUnsafe(ref d, at);
                }
            }
        }

        return strips;
    }
}
