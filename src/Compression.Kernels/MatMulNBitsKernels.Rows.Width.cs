using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 code of MatMulNBitsKernels.Vector, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
internal static partial class MatMulNBitsKernels
{
    private static int FoldRange512(ReadOnlySpan<float> row, Span<float> min, Span<float> max)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float mn = ref MemoryMarshal.GetReference(min);
        ref float mx = ref MemoryMarshal.GetReference(max);
        nuint n = (nuint)row.Length;
        nuint i = 0;
        for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
        {
            var v = Vector512.LoadUnsafe(ref x, i);
            var a = Vector512.LoadUnsafe(ref mn, i);
            var b = Vector512.LoadUnsafe(ref mx, i);
            Vector512.ConditionalSelect(Vector512.LessThan(v, a), v, a).StoreUnsafe(ref mn, i);
            Vector512.ConditionalSelect(Vector512.GreaterThan(v, b), v, b).StoreUnsafe(ref mx, i);
        }

        return (int)i;
    }

    private static int QuantizeRow512(ReadOnlySpan<float> row, ReadOnlySpan<float> reciprocal, ReadOnlySpan<float> zeroPoint, Span<byte> destination)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float r = ref MemoryMarshal.GetReference(reciprocal);
        ref float z = ref MemoryMarshal.GetReference(zeroPoint);
        ref byte d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)row.Length;
        nuint i = 0;
        nuint lanes = (nuint)Vector512<float>.Count;
        for (; i + (4 * lanes) <= n; i += 4 * lanes)
        {
            var a = QuantizeMlas(Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref r, i), Vector512.LoadUnsafe(ref z, i));
            var b = QuantizeMlas(Vector512.LoadUnsafe(ref x, i + lanes), Vector512.LoadUnsafe(ref r, i + lanes), Vector512.LoadUnsafe(ref z, i + lanes));
            var c = QuantizeMlas(Vector512.LoadUnsafe(ref x, i + (2 * lanes)), Vector512.LoadUnsafe(ref r, i + (2 * lanes)), Vector512.LoadUnsafe(ref z, i + (2 * lanes)));
            var e = QuantizeMlas(Vector512.LoadUnsafe(ref x, i + (3 * lanes)), Vector512.LoadUnsafe(ref r, i + (3 * lanes)), Vector512.LoadUnsafe(ref z, i + (3 * lanes)));
            Vector512.Narrow(Vector512.Narrow(a, b), Vector512.Narrow(c, e)).AsByte().StoreUnsafe(ref d, i);
        }

        return (int)i;
    }

    /// <summary>
    /// The vector form of <see cref="MlasBlockRule.QuantizeLevel"/>: <c>v = x * reciprocal + zp</c> (no fused multiply-add, as MLAS),
    /// round half away from zero as <c>trunc(v) + (v - trunc(v) &gt;= 0.5)</c> (exact; negative v clamps to 0 anyway),
    /// NaN to the zero point, clamp to [0, 15].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> QuantizeMlas(Vector512<float> x, Vector512<float> reciprocal, Vector512<float> zeroPoint)
    {
        var v = x * reciprocal;
        v += zeroPoint;
        var t = Vector512.Truncate(v);
        var rounded = t + (Vector512.GreaterThanOrEqual(v - t, Vector512.Create(0.5f)) & Vector512.Create(1f));
        rounded = Vector512.ConditionalSelect(Vector512.Equals(v, v), rounded, zeroPoint);
        rounded = Vector512.MinNative(Vector512.MaxNative(rounded, Vector512<float>.Zero), Vector512.Create(15f));
        return Vector512.ConvertToInt32Native(rounded);
    }

    private static int CombineNibbles512(ReadOnlySpan<byte> low, ReadOnlySpan<byte> high, Span<byte> destination)
    {
        ref byte l = ref MemoryMarshal.GetReference(low);
        ref byte h = ref MemoryMarshal.GetReference(high);
        ref byte d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)low.Length;
        nuint i = 0;
        for (; i + (nuint)Vector512<byte>.Count <= n; i += (nuint)Vector512<byte>.Count)
        {
            // Values are 0..15, so shifting 16-bit lanes left by 4 never carries into the neighbouring byte.
            (Vector512.LoadUnsafe(ref l, i) | (Vector512.LoadUnsafe(ref h, i).AsUInt16() << 4).AsByte()).StoreUnsafe(ref d, i);
        }

        return (int)i;
    }

    private static int ComputeParameters512(Span<float> min, ReadOnlySpan<float> max, bool symmetric, Span<float> reciprocal, Span<float> zeroPoint)
    {
        ref float mn = ref MemoryMarshal.GetReference(min);
        ref float mx = ref MemoryMarshal.GetReference(max);
        ref float r = ref MemoryMarshal.GetReference(reciprocal);
        ref float z = ref MemoryMarshal.GetReference(zeroPoint);
        nuint n = (nuint)min.Length;
        nuint i = 0;
        var zero = Vector512<float>.Zero;
        for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
        {
            var lo = Vector512.LoadUnsafe(ref mn, i);
            var hi = Vector512.LoadUnsafe(ref mx, i);
            Vector512<float> scale, zp;
            if (symmetric)
            {
                var m = Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Abs(hi), Vector512.Abs(lo)), hi, lo);
                scale = m / Vector512.Create(-8f);
                zp = Vector512.Create(8f);
            }
            else
            {
                lo = Vector512.ConditionalSelect(Vector512.LessThan(zero, lo), zero, lo);
                hi = Vector512.ConditionalSelect(Vector512.LessThan(hi, zero), zero, hi);
                scale = (hi - lo) / Vector512.Create(15f);
                var nonZero = ~Vector512.Equals(scale, zero);
                var zf = Vector512.ConditionalSelect(nonZero, zero - (lo / scale), lo);
                var t = Vector512.Truncate(zf);
                var rounded = t + (Vector512.GreaterThanOrEqual(zf - t, Vector512.Create(0.5f)) & Vector512.Create(1f));
                zp = Vector512.ConditionalSelect(Vector512.LessThan(zf, zero), zero, Vector512.ConditionalSelect(Vector512.GreaterThan(zf, Vector512.Create(15f)), Vector512.Create(15f), rounded));
            }

            scale.StoreUnsafe(ref mn, i);
            (Vector512.Create(1f) / scale & ~Vector512.Equals(scale, zero)).StoreUnsafe(ref r, i);
            zp.StoreUnsafe(ref z, i);
        }

        return (int)i;
    }

    private static int SplitNibbles512(ReadOnlySpan<byte> packed, Span<byte> low, Span<byte> high)
    {
        ref byte p = ref MemoryMarshal.GetReference(packed);
        ref byte l = ref MemoryMarshal.GetReference(low);
        ref byte h = ref MemoryMarshal.GetReference(high);
        nuint n = (nuint)packed.Length;
        nuint i = 0;
        for (; i + (nuint)Vector512<byte>.Count <= n; i += (nuint)Vector512<byte>.Count)
        {
            var v = Vector512.LoadUnsafe(ref p, i);
            (v & Vector512.Create((byte)0x0F)).StoreUnsafe(ref l, i);
            (v >> 4).StoreUnsafe(ref h, i);
        }

        return (int)i;
    }

    private static int DequantizeRow512(ReadOnlySpan<byte> levels, ReadOnlySpan<float> scale, ReadOnlySpan<float> zeroPoint, Span<float> destination)
    {
        ref byte q = ref MemoryMarshal.GetReference(levels);
        ref float s = ref MemoryMarshal.GetReference(scale);
        ref float z = ref MemoryMarshal.GetReference(zeroPoint);
        ref float d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)levels.Length;
        nuint i = 0;
        nuint lanes = (nuint)Vector512<float>.Count;
        for (; i + (4 * lanes) <= n; i += 4 * lanes)
        {
            var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref q, i));
            var (a, b) = Vector512.Widen(lower.AsInt16());
            var (c, e) = Vector512.Widen(upper.AsInt16());
            ((Vector512.ConvertToSingle(a) - Vector512.LoadUnsafe(ref z, i)) * Vector512.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
            ((Vector512.ConvertToSingle(b) - Vector512.LoadUnsafe(ref z, i + lanes)) * Vector512.LoadUnsafe(ref s, i + lanes)).StoreUnsafe(ref d, i + lanes);
            ((Vector512.ConvertToSingle(c) - Vector512.LoadUnsafe(ref z, i + (2 * lanes))) * Vector512.LoadUnsafe(ref s, i + (2 * lanes))).StoreUnsafe(ref d, i + (2 * lanes));
            ((Vector512.ConvertToSingle(e) - Vector512.LoadUnsafe(ref z, i + (3 * lanes))) * Vector512.LoadUnsafe(ref s, i + (3 * lanes))).StoreUnsafe(ref d, i + (3 * lanes));
        }

        return (int)i;
    }
}
