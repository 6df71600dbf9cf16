using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 code of AffineKernels.Vector, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
internal static partial class AffineKernels
{
    private static int QuantizeRow512(ReadOnlySpan<float> values, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, int lo, int hi, Span<byte> destination)
    {
        nuint n = (nuint)values.Length;
        nuint lanes = (nuint)Vector512<float>.Count;
        nuint step = 4 * lanes;
        if (n < step)
        {
            return 0;
        }

        ref float source = ref MemoryMarshal.GetReference(values);
        ref float scale = ref MemoryMarshal.GetReference(scales);
        ref int zero = ref MemoryMarshal.GetReference(zeroPoints);
        ref byte target = ref MemoryMarshal.GetReference(destination);
        var l = Vector512.Create((float)lo);
        var h = Vector512.Create((float)hi);
        nuint i = 0;
        for (; ; i += step)
        {
            if (i + step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - step;
            }

            var a = QuantizeStep(Vector512.LoadUnsafe(ref source, i), Vector512.LoadUnsafe(ref scale, i), Vector512.ConvertToSingle(Vector512.LoadUnsafe(ref zero, i)), l, h);
            var b = QuantizeStep(Vector512.LoadUnsafe(ref source, i + lanes), Vector512.LoadUnsafe(ref scale, i + lanes), Vector512.ConvertToSingle(Vector512.LoadUnsafe(ref zero, i + lanes)), l, h);
            var c = QuantizeStep(Vector512.LoadUnsafe(ref source, i + (2 * lanes)), Vector512.LoadUnsafe(ref scale, i + (2 * lanes)), Vector512.ConvertToSingle(Vector512.LoadUnsafe(ref zero, i + (2 * lanes))), l, h);
            var d = QuantizeStep(Vector512.LoadUnsafe(ref source, i + (3 * lanes)), Vector512.LoadUnsafe(ref scale, i + (3 * lanes)), Vector512.ConvertToSingle(Vector512.LoadUnsafe(ref zero, i + (3 * lanes))), l, h);
            Vector512.Narrow(Vector512.Narrow(a, b), Vector512.Narrow(c, d)).AsByte().StoreUnsafe(ref target, i);
            if (i + step == n)
            {
                break;
            }
        }

        return values.Length;
    }

    /// <summary>The vector form of <see cref="QuantizeOne"/>: divide, NaN to 0, round half to even, add zero point, saturate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<int> QuantizeStep(Vector512<float> x, Vector512<float> scale, Vector512<float> zeroPoint, Vector512<float> lo, Vector512<float> hi)
    {
        var v = x / scale;
        v &= Vector512.Equals(v, v);
        v = Vector512.Round(v) + zeroPoint;
        v = Vector512.MinNative(Vector512.MaxNative(v, lo), hi);
        return Vector512.ConvertToInt32Native(v);
    }

    private static int DequantizeRow512(ReadOnlySpan<byte> quantized, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination, bool signed)
    {
        ref byte source = ref MemoryMarshal.GetReference(quantized);
        ref float scale = ref MemoryMarshal.GetReference(scales);
        ref int zero = ref MemoryMarshal.GetReference(zeroPoints);
        ref float target = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)quantized.Length;
        nuint lanes = (nuint)Vector512<float>.Count;
        nuint i = 0;
        for (; i + (4 * lanes) <= n; i += 4 * lanes)
        {
            var bytes = Vector512.LoadUnsafe(ref source, i);
            Vector512<int> a, b, c, d;
            if (signed)
            {
                var (lower, upper) = Vector512.Widen(bytes.AsSByte());
                (a, b) = Vector512.Widen(lower);
                (c, d) = Vector512.Widen(upper);
            }
            else
            {
                var (lower, upper) = Vector512.Widen(bytes);
                (a, b) = Vector512.Widen(lower.AsInt16());
                (c, d) = Vector512.Widen(upper.AsInt16());
            }

            (Vector512.ConvertToSingle(a - Vector512.LoadUnsafe(ref zero, i)) * Vector512.LoadUnsafe(ref scale, i)).StoreUnsafe(ref target, i);
            (Vector512.ConvertToSingle(b - Vector512.LoadUnsafe(ref zero, i + lanes)) * Vector512.LoadUnsafe(ref scale, i + lanes)).StoreUnsafe(ref target, i + lanes);
            (Vector512.ConvertToSingle(c - Vector512.LoadUnsafe(ref zero, i + (2 * lanes))) * Vector512.LoadUnsafe(ref scale, i + (2 * lanes))).StoreUnsafe(ref target, i + (2 * lanes));
            (Vector512.ConvertToSingle(d - Vector512.LoadUnsafe(ref zero, i + (3 * lanes))) * Vector512.LoadUnsafe(ref scale, i + (3 * lanes))).StoreUnsafe(ref target, i + (3 * lanes));
        }

        return (int)i;
    }
}
