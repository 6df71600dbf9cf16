using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 code of ChannelStrips, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
internal static partial class ChannelStrips
{
    private static int MinMax512(ReadOnlySpan<float> values, int rows, int channels, Span<float> min, Span<float> max)
    {
        int W = Vector512<float>.Count;
        nuint lanes = (nuint)W;
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
                var a1 = Vector512.LoadUnsafe(ref mn, cc + lanes);
                var a2 = Vector512.LoadUnsafe(ref mn, cc + (2 * lanes));
                var a3 = Vector512.LoadUnsafe(ref mn, cc + (3 * lanes));
                var b0 = Vector512.LoadUnsafe(ref mx, cc);
                var b1 = Vector512.LoadUnsafe(ref mx, cc + lanes);
                var b2 = Vector512.LoadUnsafe(ref mx, cc + (2 * lanes));
                var b3 = Vector512.LoadUnsafe(ref mx, cc + (3 * lanes));
                for (int r = r0; r < r1; r++)
                {
                    nuint at = ((nuint)r * (nuint)channels) + cc;
                    var v0 = Vector512.LoadUnsafe(ref x, at);
                    var v1 = Vector512.LoadUnsafe(ref x, at + lanes);
                    var v2 = Vector512.LoadUnsafe(ref x, at + (2 * lanes));
                    var v3 = Vector512.LoadUnsafe(ref x, at + (3 * lanes));
                    a0 = Vector512.Min(a0, v0); b0 = Vector512.Max(b0, v0);
                    a1 = Vector512.Min(a1, v1); b1 = Vector512.Max(b1, v1);
                    a2 = Vector512.Min(a2, v2); b2 = Vector512.Max(b2, v2);
                    a3 = Vector512.Min(a3, v3); b3 = Vector512.Max(b3, v3);
                }

                a0.StoreUnsafe(ref mn, cc);
                a1.StoreUnsafe(ref mn, cc + lanes);
                a2.StoreUnsafe(ref mn, cc + (2 * lanes));
                a3.StoreUnsafe(ref mn, cc + (3 * lanes));
                b0.StoreUnsafe(ref mx, cc);
                b1.StoreUnsafe(ref mx, cc + lanes);
                b2.StoreUnsafe(ref mx, cc + (2 * lanes));
                b3.StoreUnsafe(ref mx, cc + (3 * lanes));
            }
        }

        return strips;
    }

    private static int Quantize512(ReadOnlySpan<float> values, int rows, int channels, ReadOnlySpan<float> scales, ReadOnlySpan<float> zeroPoints, int lo, int hi, Span<byte> destination)
    {
        int W = Vector512<float>.Count;
        nuint lanes = (nuint)W;
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
                var s1 = Vector512.LoadUnsafe(ref s, cc + lanes);
                var s2 = Vector512.LoadUnsafe(ref s, cc + (2 * lanes));
                var s3 = Vector512.LoadUnsafe(ref s, cc + (3 * lanes));
                var z0 = Vector512.LoadUnsafe(ref z, cc);
                var z1 = Vector512.LoadUnsafe(ref z, cc + lanes);
                var z2 = Vector512.LoadUnsafe(ref z, cc + (2 * lanes));
                var z3 = Vector512.LoadUnsafe(ref z, cc + (3 * lanes));
                for (int r = r0; r < r1; r++)
                {
                    nuint at = ((nuint)r * (nuint)channels) + cc;
                    var q0 = AffineKernels.QuantizeStep(Vector512.LoadUnsafe(ref x, at), s0, z0, l, h);
                    var q1 = AffineKernels.QuantizeStep(Vector512.LoadUnsafe(ref x, at + lanes), s1, z1, l, h);
                    var q2 = AffineKernels.QuantizeStep(Vector512.LoadUnsafe(ref x, at + (2 * lanes)), s2, z2, l, h);
                    var q3 = AffineKernels.QuantizeStep(Vector512.LoadUnsafe(ref x, at + (3 * lanes)), s3, z3, l, h);
                    Vector512.Narrow(Vector512.Narrow(q0, q1), Vector512.Narrow(q2, q3)).AsByte().StoreUnsafe(ref d, at);
                }
            }
        }

        return strips;
    }
}
