using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// Row operations of the banded MatMulNBits quantizer, generated per width from one template. A row is one K
// index across all N columns (contiguous in B[K, N]); each lane is one column.
internal static partial class MatMulNBitsKernels
{
    /// <summary>
    /// Per-column MLAS parameters from the band's ranges: writes the scales over <paramref name="min"/>, and the
    /// reciprocal scales and zero points (as floats) for <see cref="QuantizeRow"/>.
    /// </summary>
    private static void ComputeParameters(Span<float> min, ReadOnlySpan<float> max, bool symmetric, Span<float> reciprocal, Span<float> zeroPoint, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => ComputeParameters512(min, max, symmetric, reciprocal, zeroPoint),
            KernelIsa.Vector256 => ComputeParameters256(min, max, symmetric, reciprocal, zeroPoint),
            KernelIsa.Vector128 => ComputeParameters128(min, max, symmetric, reciprocal, zeroPoint),
            _ => 0,
        };
        for (int i = done; i < min.Length; i++)
        {
            var (scale, zp) = MlasBlockRule.ScaleAndZeroPoint(min[i], max[i], symmetric);
            min[i] = scale;
            reciprocal[i] = scale != 0f ? 1f / scale : 0f;
            zeroPoint[i] = zp;
        }
    }

    /// <summary>low[i] = packed[i] &amp; 0xF, high[i] = packed[i] &gt;&gt; 4.</summary>
    private static void SplitNibbles(ReadOnlySpan<byte> packed, Span<byte> low, Span<byte> high, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => SplitNibbles512(packed, low, high),
            KernelIsa.Vector256 => SplitNibbles256(packed, low, high),
            KernelIsa.Vector128 => SplitNibbles128(packed, low, high),
            _ => 0,
        };
        for (int i = done; i < packed.Length; i++)
        {
            low[i] = (byte)(packed[i] & 0xF);
            high[i] = (byte)(packed[i] >> 4);
        }
    }

    /// <summary>destination[i] = (q[i] - zeroPoint[i]) * scale[i].</summary>
    private static void DequantizeRow(ReadOnlySpan<byte> levels, ReadOnlySpan<float> scale, ReadOnlySpan<float> zeroPoint, Span<float> destination, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => DequantizeRow512(levels, scale, zeroPoint, destination),
            KernelIsa.Vector256 => DequantizeRow256(levels, scale, zeroPoint, destination),
            KernelIsa.Vector128 => DequantizeRow128(levels, scale, zeroPoint, destination),
            _ => 0,
        };
        for (int i = done; i < levels.Length; i++)
        {
            destination[i] = (levels[i] - (int)zeroPoint[i]) * scale[i];
        }
    }

    /// <summary>Folds one row into per-column min/max with MLAS's `v &lt; min` / `v &gt; max` scan (NaN never enters).</summary>
    private static void FoldRange(ReadOnlySpan<float> row, Span<float> min, Span<float> max, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => FoldRange512(row, min, max),
            KernelIsa.Vector256 => FoldRange256(row, min, max),
            KernelIsa.Vector128 => FoldRange128(row, min, max),
            _ => 0,
        };
        for (int i = done; i < row.Length; i++)
        {
            float v = row[i];
            if (v < min[i])
            {
                min[i] = v;
            }

            if (v > max[i])
            {
                max[i] = v;
            }
        }
    }

    /// <summary>Quantizes one row with per-column reciprocal scales and zero points (MLAS rounding) to bytes 0..15.</summary>
    private static void QuantizeRow(ReadOnlySpan<float> row, ReadOnlySpan<float> reciprocal, ReadOnlySpan<float> zeroPoint, Span<byte> destination, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => QuantizeRow512(row, reciprocal, zeroPoint, destination),
            KernelIsa.Vector256 => QuantizeRow256(row, reciprocal, zeroPoint, destination),
            KernelIsa.Vector128 => QuantizeRow128(row, reciprocal, zeroPoint, destination),
            _ => 0,
        };
        for (int i = done; i < row.Length; i++)
        {
            destination[i] = (byte)MlasBlockRule.QuantizeLevel(row[i], reciprocal[i], (int)zeroPoint[i]);
        }
    }

    /// <summary><c>destination[i] = low[i] | (high[i] &lt;&lt; 4)</c>: two quantized rows become one row of packed bytes.</summary>
    private static void CombineNibbles(ReadOnlySpan<byte> low, ReadOnlySpan<byte> high, Span<byte> destination, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => CombineNibbles512(low, high, destination),
            KernelIsa.Vector256 => CombineNibbles256(low, high, destination),
            KernelIsa.Vector128 => CombineNibbles128(low, high, destination),
            _ => 0,
        };
        for (int i = done; i < low.Length; i++)
        {
            destination[i] = (byte)(low[i] | (high[i] << 4));
        }
    }

    private static int FoldRange512(ReadOnlySpan<float> row, Span<float> min, Span<float> max)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float mn = ref MemoryMarshal.GetReference(min);
        ref float mx = ref MemoryMarshal.GetReference(max);
        nuint n = (nuint)row.Length;
        nuint i = 0;
        for (; i + 16 <= n; i += 16)
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
        for (; i + (4 * 16) <= n; i += 4 * 16)
        {
            var a = QuantizeMlas(Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref r, i), Vector512.LoadUnsafe(ref z, i));
            var b = QuantizeMlas(Vector512.LoadUnsafe(ref x, i + 16), Vector512.LoadUnsafe(ref r, i + 16), Vector512.LoadUnsafe(ref z, i + 16));
            var c = QuantizeMlas(Vector512.LoadUnsafe(ref x, i + (2 * 16)), Vector512.LoadUnsafe(ref r, i + (2 * 16)), Vector512.LoadUnsafe(ref z, i + (2 * 16)));
            var e = QuantizeMlas(Vector512.LoadUnsafe(ref x, i + (3 * 16)), Vector512.LoadUnsafe(ref r, i + (3 * 16)), Vector512.LoadUnsafe(ref z, i + (3 * 16)));
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

    private static int FoldRange256(ReadOnlySpan<float> row, Span<float> min, Span<float> max)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float mn = ref MemoryMarshal.GetReference(min);
        ref float mx = ref MemoryMarshal.GetReference(max);
        nuint n = (nuint)row.Length;
        nuint i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var v = Vector256.LoadUnsafe(ref x, i);
            var a = Vector256.LoadUnsafe(ref mn, i);
            var b = Vector256.LoadUnsafe(ref mx, i);
            Vector256.ConditionalSelect(Vector256.LessThan(v, a), v, a).StoreUnsafe(ref mn, i);
            Vector256.ConditionalSelect(Vector256.GreaterThan(v, b), v, b).StoreUnsafe(ref mx, i);
        }

        return (int)i;
    }

    private static int QuantizeRow256(ReadOnlySpan<float> row, ReadOnlySpan<float> reciprocal, ReadOnlySpan<float> zeroPoint, Span<byte> destination)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float r = ref MemoryMarshal.GetReference(reciprocal);
        ref float z = ref MemoryMarshal.GetReference(zeroPoint);
        ref byte d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)row.Length;
        nuint i = 0;
        for (; i + (4 * 8) <= n; i += 4 * 8)
        {
            var a = QuantizeMlas(Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref r, i), Vector256.LoadUnsafe(ref z, i));
            var b = QuantizeMlas(Vector256.LoadUnsafe(ref x, i + 8), Vector256.LoadUnsafe(ref r, i + 8), Vector256.LoadUnsafe(ref z, i + 8));
            var c = QuantizeMlas(Vector256.LoadUnsafe(ref x, i + (2 * 8)), Vector256.LoadUnsafe(ref r, i + (2 * 8)), Vector256.LoadUnsafe(ref z, i + (2 * 8)));
            var e = QuantizeMlas(Vector256.LoadUnsafe(ref x, i + (3 * 8)), Vector256.LoadUnsafe(ref r, i + (3 * 8)), Vector256.LoadUnsafe(ref z, i + (3 * 8)));
            Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, e)).AsByte().StoreUnsafe(ref d, i);
        }

        return (int)i;
    }

    /// <summary>
    /// The vector form of <see cref="MlasBlockRule.QuantizeLevel"/>: <c>v = x * reciprocal + zp</c> (no fused multiply-add, as MLAS),
    /// round half away from zero as <c>trunc(v) + (v - trunc(v) &gt;= 0.5)</c> (exact; negative v clamps to 0 anyway),
    /// NaN to the zero point, clamp to [0, 15].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> QuantizeMlas(Vector256<float> x, Vector256<float> reciprocal, Vector256<float> zeroPoint)
    {
        var v = x * reciprocal;
        v += zeroPoint;
        var t = Vector256.Truncate(v);
        var rounded = t + (Vector256.GreaterThanOrEqual(v - t, Vector256.Create(0.5f)) & Vector256.Create(1f));
        rounded = Vector256.ConditionalSelect(Vector256.Equals(v, v), rounded, zeroPoint);
        rounded = Vector256.MinNative(Vector256.MaxNative(rounded, Vector256<float>.Zero), Vector256.Create(15f));
        return Vector256.ConvertToInt32Native(rounded);
    }

    private static int CombineNibbles256(ReadOnlySpan<byte> low, ReadOnlySpan<byte> high, Span<byte> destination)
    {
        ref byte l = ref MemoryMarshal.GetReference(low);
        ref byte h = ref MemoryMarshal.GetReference(high);
        ref byte d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)low.Length;
        nuint i = 0;
        for (; i + (nuint)Vector256<byte>.Count <= n; i += (nuint)Vector256<byte>.Count)
        {
            // Values are 0..15, so shifting 16-bit lanes left by 4 never carries into the neighbouring byte.
            (Vector256.LoadUnsafe(ref l, i) | (Vector256.LoadUnsafe(ref h, i).AsUInt16() << 4).AsByte()).StoreUnsafe(ref d, i);
        }

        return (int)i;
    }

    private static int FoldRange128(ReadOnlySpan<float> row, Span<float> min, Span<float> max)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float mn = ref MemoryMarshal.GetReference(min);
        ref float mx = ref MemoryMarshal.GetReference(max);
        nuint n = (nuint)row.Length;
        nuint i = 0;
        for (; i + 4 <= n; i += 4)
        {
            var v = Vector128.LoadUnsafe(ref x, i);
            var a = Vector128.LoadUnsafe(ref mn, i);
            var b = Vector128.LoadUnsafe(ref mx, i);
            Vector128.ConditionalSelect(Vector128.LessThan(v, a), v, a).StoreUnsafe(ref mn, i);
            Vector128.ConditionalSelect(Vector128.GreaterThan(v, b), v, b).StoreUnsafe(ref mx, i);
        }

        return (int)i;
    }

    private static int QuantizeRow128(ReadOnlySpan<float> row, ReadOnlySpan<float> reciprocal, ReadOnlySpan<float> zeroPoint, Span<byte> destination)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float r = ref MemoryMarshal.GetReference(reciprocal);
        ref float z = ref MemoryMarshal.GetReference(zeroPoint);
        ref byte d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)row.Length;
        nuint i = 0;
        for (; i + (4 * 4) <= n; i += 4 * 4)
        {
            var a = QuantizeMlas(Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref r, i), Vector128.LoadUnsafe(ref z, i));
            var b = QuantizeMlas(Vector128.LoadUnsafe(ref x, i + 4), Vector128.LoadUnsafe(ref r, i + 4), Vector128.LoadUnsafe(ref z, i + 4));
            var c = QuantizeMlas(Vector128.LoadUnsafe(ref x, i + (2 * 4)), Vector128.LoadUnsafe(ref r, i + (2 * 4)), Vector128.LoadUnsafe(ref z, i + (2 * 4)));
            var e = QuantizeMlas(Vector128.LoadUnsafe(ref x, i + (3 * 4)), Vector128.LoadUnsafe(ref r, i + (3 * 4)), Vector128.LoadUnsafe(ref z, i + (3 * 4)));
            Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(c, e)).AsByte().StoreUnsafe(ref d, i);
        }

        return (int)i;
    }

    /// <summary>
    /// The vector form of <see cref="MlasBlockRule.QuantizeLevel"/>: <c>v = x * reciprocal + zp</c> (no fused multiply-add, as MLAS),
    /// round half away from zero as <c>trunc(v) + (v - trunc(v) &gt;= 0.5)</c> (exact; negative v clamps to 0 anyway),
    /// NaN to the zero point, clamp to [0, 15].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> QuantizeMlas(Vector128<float> x, Vector128<float> reciprocal, Vector128<float> zeroPoint)
    {
        var v = x * reciprocal;
        v += zeroPoint;
        var t = Vector128.Truncate(v);
        var rounded = t + (Vector128.GreaterThanOrEqual(v - t, Vector128.Create(0.5f)) & Vector128.Create(1f));
        rounded = Vector128.ConditionalSelect(Vector128.Equals(v, v), rounded, zeroPoint);
        rounded = Vector128.MinNative(Vector128.MaxNative(rounded, Vector128<float>.Zero), Vector128.Create(15f));
        return Vector128.ConvertToInt32Native(rounded);
    }

    private static int CombineNibbles128(ReadOnlySpan<byte> low, ReadOnlySpan<byte> high, Span<byte> destination)
    {
        ref byte l = ref MemoryMarshal.GetReference(low);
        ref byte h = ref MemoryMarshal.GetReference(high);
        ref byte d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)low.Length;
        nuint i = 0;
        for (; i + (nuint)Vector128<byte>.Count <= n; i += (nuint)Vector128<byte>.Count)
        {
            // Values are 0..15, so shifting 16-bit lanes left by 4 never carries into the neighbouring byte.
            (Vector128.LoadUnsafe(ref l, i) | (Vector128.LoadUnsafe(ref h, i).AsUInt16() << 4).AsByte()).StoreUnsafe(ref d, i);
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
        for (; i + 16 <= n; i += 16)
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

    private static int ComputeParameters256(Span<float> min, ReadOnlySpan<float> max, bool symmetric, Span<float> reciprocal, Span<float> zeroPoint)
    {
        ref float mn = ref MemoryMarshal.GetReference(min);
        ref float mx = ref MemoryMarshal.GetReference(max);
        ref float r = ref MemoryMarshal.GetReference(reciprocal);
        ref float z = ref MemoryMarshal.GetReference(zeroPoint);
        nuint n = (nuint)min.Length;
        nuint i = 0;
        var zero = Vector256<float>.Zero;
        for (; i + 8 <= n; i += 8)
        {
            var lo = Vector256.LoadUnsafe(ref mn, i);
            var hi = Vector256.LoadUnsafe(ref mx, i);
            Vector256<float> scale, zp;
            if (symmetric)
            {
                var m = Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.Abs(hi), Vector256.Abs(lo)), hi, lo);
                scale = m / Vector256.Create(-8f);
                zp = Vector256.Create(8f);
            }
            else
            {
                lo = Vector256.ConditionalSelect(Vector256.LessThan(zero, lo), zero, lo);
                hi = Vector256.ConditionalSelect(Vector256.LessThan(hi, zero), zero, hi);
                scale = (hi - lo) / Vector256.Create(15f);
                var nonZero = ~Vector256.Equals(scale, zero);
                var zf = Vector256.ConditionalSelect(nonZero, zero - (lo / scale), lo);
                var t = Vector256.Truncate(zf);
                var rounded = t + (Vector256.GreaterThanOrEqual(zf - t, Vector256.Create(0.5f)) & Vector256.Create(1f));
                zp = Vector256.ConditionalSelect(Vector256.LessThan(zf, zero), zero, Vector256.ConditionalSelect(Vector256.GreaterThan(zf, Vector256.Create(15f)), Vector256.Create(15f), rounded));
            }

            scale.StoreUnsafe(ref mn, i);
            (Vector256.Create(1f) / scale & ~Vector256.Equals(scale, zero)).StoreUnsafe(ref r, i);
            zp.StoreUnsafe(ref z, i);
        }

        return (int)i;
    }

    private static int ComputeParameters128(Span<float> min, ReadOnlySpan<float> max, bool symmetric, Span<float> reciprocal, Span<float> zeroPoint)
    {
        ref float mn = ref MemoryMarshal.GetReference(min);
        ref float mx = ref MemoryMarshal.GetReference(max);
        ref float r = ref MemoryMarshal.GetReference(reciprocal);
        ref float z = ref MemoryMarshal.GetReference(zeroPoint);
        nuint n = (nuint)min.Length;
        nuint i = 0;
        var zero = Vector128<float>.Zero;
        for (; i + 4 <= n; i += 4)
        {
            var lo = Vector128.LoadUnsafe(ref mn, i);
            var hi = Vector128.LoadUnsafe(ref mx, i);
            Vector128<float> scale, zp;
            if (symmetric)
            {
                var m = Vector128.ConditionalSelect(Vector128.GreaterThan(Vector128.Abs(hi), Vector128.Abs(lo)), hi, lo);
                scale = m / Vector128.Create(-8f);
                zp = Vector128.Create(8f);
            }
            else
            {
                lo = Vector128.ConditionalSelect(Vector128.LessThan(zero, lo), zero, lo);
                hi = Vector128.ConditionalSelect(Vector128.LessThan(hi, zero), zero, hi);
                scale = (hi - lo) / Vector128.Create(15f);
                var nonZero = ~Vector128.Equals(scale, zero);
                var zf = Vector128.ConditionalSelect(nonZero, zero - (lo / scale), lo);
                var t = Vector128.Truncate(zf);
                var rounded = t + (Vector128.GreaterThanOrEqual(zf - t, Vector128.Create(0.5f)) & Vector128.Create(1f));
                zp = Vector128.ConditionalSelect(Vector128.LessThan(zf, zero), zero, Vector128.ConditionalSelect(Vector128.GreaterThan(zf, Vector128.Create(15f)), Vector128.Create(15f), rounded));
            }

            scale.StoreUnsafe(ref mn, i);
            (Vector128.Create(1f) / scale & ~Vector128.Equals(scale, zero)).StoreUnsafe(ref r, i);
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
        for (; i + (4 * 16) <= n; i += 4 * 16)
        {
            var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref q, i));
            var (a, b) = Vector512.Widen(lower.AsInt16());
            var (c, e) = Vector512.Widen(upper.AsInt16());
            ((Vector512.ConvertToSingle(a) - Vector512.LoadUnsafe(ref z, i)) * Vector512.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
            ((Vector512.ConvertToSingle(b) - Vector512.LoadUnsafe(ref z, i + 16)) * Vector512.LoadUnsafe(ref s, i + 16)).StoreUnsafe(ref d, i + 16);
            ((Vector512.ConvertToSingle(c) - Vector512.LoadUnsafe(ref z, i + (2 * 16))) * Vector512.LoadUnsafe(ref s, i + (2 * 16))).StoreUnsafe(ref d, i + (2 * 16));
            ((Vector512.ConvertToSingle(e) - Vector512.LoadUnsafe(ref z, i + (3 * 16))) * Vector512.LoadUnsafe(ref s, i + (3 * 16))).StoreUnsafe(ref d, i + (3 * 16));
        }

        return (int)i;
    }

    private static int SplitNibbles256(ReadOnlySpan<byte> packed, Span<byte> low, Span<byte> high)
    {
        ref byte p = ref MemoryMarshal.GetReference(packed);
        ref byte l = ref MemoryMarshal.GetReference(low);
        ref byte h = ref MemoryMarshal.GetReference(high);
        nuint n = (nuint)packed.Length;
        nuint i = 0;
        for (; i + (nuint)Vector256<byte>.Count <= n; i += (nuint)Vector256<byte>.Count)
        {
            var v = Vector256.LoadUnsafe(ref p, i);
            (v & Vector256.Create((byte)0x0F)).StoreUnsafe(ref l, i);
            (v >> 4).StoreUnsafe(ref h, i);
        }

        return (int)i;
    }

    private static int DequantizeRow256(ReadOnlySpan<byte> levels, ReadOnlySpan<float> scale, ReadOnlySpan<float> zeroPoint, Span<float> destination)
    {
        ref byte q = ref MemoryMarshal.GetReference(levels);
        ref float s = ref MemoryMarshal.GetReference(scale);
        ref float z = ref MemoryMarshal.GetReference(zeroPoint);
        ref float d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)levels.Length;
        nuint i = 0;
        for (; i + (4 * 8) <= n; i += 4 * 8)
        {
            var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref q, i));
            var (a, b) = Vector256.Widen(lower.AsInt16());
            var (c, e) = Vector256.Widen(upper.AsInt16());
            ((Vector256.ConvertToSingle(a) - Vector256.LoadUnsafe(ref z, i)) * Vector256.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
            ((Vector256.ConvertToSingle(b) - Vector256.LoadUnsafe(ref z, i + 8)) * Vector256.LoadUnsafe(ref s, i + 8)).StoreUnsafe(ref d, i + 8);
            ((Vector256.ConvertToSingle(c) - Vector256.LoadUnsafe(ref z, i + (2 * 8))) * Vector256.LoadUnsafe(ref s, i + (2 * 8))).StoreUnsafe(ref d, i + (2 * 8));
            ((Vector256.ConvertToSingle(e) - Vector256.LoadUnsafe(ref z, i + (3 * 8))) * Vector256.LoadUnsafe(ref s, i + (3 * 8))).StoreUnsafe(ref d, i + (3 * 8));
        }

        return (int)i;
    }

    private static int SplitNibbles128(ReadOnlySpan<byte> packed, Span<byte> low, Span<byte> high)
    {
        ref byte p = ref MemoryMarshal.GetReference(packed);
        ref byte l = ref MemoryMarshal.GetReference(low);
        ref byte h = ref MemoryMarshal.GetReference(high);
        nuint n = (nuint)packed.Length;
        nuint i = 0;
        for (; i + (nuint)Vector128<byte>.Count <= n; i += (nuint)Vector128<byte>.Count)
        {
            var v = Vector128.LoadUnsafe(ref p, i);
            (v & Vector128.Create((byte)0x0F)).StoreUnsafe(ref l, i);
            (v >> 4).StoreUnsafe(ref h, i);
        }

        return (int)i;
    }

    private static int DequantizeRow128(ReadOnlySpan<byte> levels, ReadOnlySpan<float> scale, ReadOnlySpan<float> zeroPoint, Span<float> destination)
    {
        ref byte q = ref MemoryMarshal.GetReference(levels);
        ref float s = ref MemoryMarshal.GetReference(scale);
        ref float z = ref MemoryMarshal.GetReference(zeroPoint);
        ref float d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)levels.Length;
        nuint i = 0;
        for (; i + (4 * 4) <= n; i += 4 * 4)
        {
            var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref q, i));
            var (a, b) = Vector128.Widen(lower.AsInt16());
            var (c, e) = Vector128.Widen(upper.AsInt16());
            ((Vector128.ConvertToSingle(a) - Vector128.LoadUnsafe(ref z, i)) * Vector128.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
            ((Vector128.ConvertToSingle(b) - Vector128.LoadUnsafe(ref z, i + 4)) * Vector128.LoadUnsafe(ref s, i + 4)).StoreUnsafe(ref d, i + 4);
            ((Vector128.ConvertToSingle(c) - Vector128.LoadUnsafe(ref z, i + (2 * 4))) * Vector128.LoadUnsafe(ref s, i + (2 * 4))).StoreUnsafe(ref d, i + (2 * 4));
            ((Vector128.ConvertToSingle(e) - Vector128.LoadUnsafe(ref z, i + (3 * 4))) * Vector128.LoadUnsafe(ref s, i + (3 * 4))).StoreUnsafe(ref d, i + (3 * 4));
        }

        return (int)i;
    }
}
