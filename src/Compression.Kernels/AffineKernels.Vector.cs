using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// Generated per width from one template (same loop shape for 128/256/512): 4 vectors of floats make one
// vector of bytes. Tails overlap the last full step because the ops are elementwise and the source never
// aliases the destination (different element types).
internal static partial class AffineKernels
{
    /// <summary>Vector part of <see cref="Quantize"/>; returns how many leading elements it wrote (0 or all).</summary>
    private static int QuantizeVector(ReadOnlySpan<float> values, float scale, int zeroPoint, int lo, int hi, Span<byte> destination, KernelIsa isa) => isa switch
    {
        KernelIsa.Vector512 when values.Length >= 64 => Quantize512(values, scale, zeroPoint, lo, hi, destination),
        KernelIsa.Vector512 or KernelIsa.Vector256 when values.Length >= 32 => Quantize256(values, scale, zeroPoint, lo, hi, destination),
        KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 => Quantize128(values, scale, zeroPoint, lo, hi, destination),
        _ => 0,
    };

    private static int QuantizeRowVector(ReadOnlySpan<float> values, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, int lo, int hi, Span<byte> destination, KernelIsa isa) => isa switch
    {
        KernelIsa.Vector512 when values.Length >= 64 => QuantizeRow512(values, scales, zeroPoints, lo, hi, destination),
        KernelIsa.Vector512 or KernelIsa.Vector256 when values.Length >= 32 => QuantizeRow256(values, scales, zeroPoints, lo, hi, destination),
        KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 => QuantizeRow128(values, scales, zeroPoints, lo, hi, destination),
        _ => 0,
    };

    private static int DequantizeVector(ReadOnlySpan<byte> quantized, float scale, int zeroPoint, Span<float> destination, bool signed, KernelIsa isa) => isa switch
    {
        KernelIsa.Vector512 when quantized.Length >= 64 => Dequantize512(quantized, scale, zeroPoint, destination, signed),
        KernelIsa.Vector512 or KernelIsa.Vector256 when quantized.Length >= 32 => Dequantize256(quantized, scale, zeroPoint, destination, signed),
        KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 => Dequantize128(quantized, scale, zeroPoint, destination, signed),
        _ => 0,
    };

    // ---- Vector512: 16 floats per vector, 64 elements per step ----

    private static int Quantize512(ReadOnlySpan<float> values, float scale, int zeroPoint, int lo, int hi, Span<byte> destination)
    {
        nuint n = (nuint)values.Length;
        const int Step = 4 * 16;
        if (n < Step)
        {
            return 0;
        }

        ref float source = ref MemoryMarshal.GetReference(values);
        ref byte target = ref MemoryMarshal.GetReference(destination);
        var s = Vector512.Create(scale);
        var z = Vector512.Create((float)zeroPoint);
        var l = Vector512.Create((float)lo);
        var h = Vector512.Create((float)hi);
        nuint i = 0;
        for (; i + Step <= n; i += Step)
        {
            Store512(ref source, ref target, i, s, z, l, h);
        }

        if (i < n)
        {
            // Overlap the last full step: quantization is elementwise, rewriting a few bytes is harmless.
            Store512(ref source, ref target, n - Step, s, z, l, h);
        }

        return values.Length;
    }

    private static int QuantizeRow512(ReadOnlySpan<float> values, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, int lo, int hi, Span<byte> destination)
    {
        nuint n = (nuint)values.Length;
        const int Step = 4 * 16;
        if (n < Step)
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
        for (; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var a = QuantizeStep(Vector512.LoadUnsafe(ref source, i), Vector512.LoadUnsafe(ref scale, i), Vector512.ConvertToSingle(Vector512.LoadUnsafe(ref zero, i)), l, h);
            var b = QuantizeStep(Vector512.LoadUnsafe(ref source, i + 16), Vector512.LoadUnsafe(ref scale, i + 16), Vector512.ConvertToSingle(Vector512.LoadUnsafe(ref zero, i + 16)), l, h);
            var c = QuantizeStep(Vector512.LoadUnsafe(ref source, i + (2 * 16)), Vector512.LoadUnsafe(ref scale, i + (2 * 16)), Vector512.ConvertToSingle(Vector512.LoadUnsafe(ref zero, i + (2 * 16))), l, h);
            var d = QuantizeStep(Vector512.LoadUnsafe(ref source, i + (3 * 16)), Vector512.LoadUnsafe(ref scale, i + (3 * 16)), Vector512.ConvertToSingle(Vector512.LoadUnsafe(ref zero, i + (3 * 16))), l, h);
            Vector512.Narrow(Vector512.Narrow(a, b), Vector512.Narrow(c, d)).AsByte().StoreUnsafe(ref target, i);
            if (i + Step == n)
            {
                break;
            }
        }

        return values.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(ref float source, ref byte target, nuint i, Vector512<float> s, Vector512<float> z, Vector512<float> l, Vector512<float> h)
    {
        var a = QuantizeStep(Vector512.LoadUnsafe(ref source, i), s, z, l, h);
        var b = QuantizeStep(Vector512.LoadUnsafe(ref source, i + 16), s, z, l, h);
        var c = QuantizeStep(Vector512.LoadUnsafe(ref source, i + (2 * 16)), s, z, l, h);
        var d = QuantizeStep(Vector512.LoadUnsafe(ref source, i + (3 * 16)), s, z, l, h);
        Vector512.Narrow(Vector512.Narrow(a, b), Vector512.Narrow(c, d)).AsByte().StoreUnsafe(ref target, i);
    }

    /// <summary>The vector form of <see cref="QuantizeOne"/>: divide, NaN to 0, round half to even, add zero point, saturate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> QuantizeStep(Vector512<float> x, Vector512<float> scale, Vector512<float> zeroPoint, Vector512<float> lo, Vector512<float> hi)
    {
        var v = x / scale;
        v &= Vector512.Equals(v, v);
        v = Vector512.Round(v) + zeroPoint;
        v = Vector512.MinNative(Vector512.MaxNative(v, lo), hi);
        return Vector512.ConvertToInt32Native(v);
    }

    private static int Dequantize512(ReadOnlySpan<byte> quantized, float scale, int zeroPoint, Span<float> destination, bool signed)
    {
        nuint n = (nuint)quantized.Length;
        const int Step = 4 * 16;
        if (n < Step)
        {
            return 0;
        }

        ref byte source = ref MemoryMarshal.GetReference(quantized);
        ref float target = ref MemoryMarshal.GetReference(destination);
        var s = Vector512.Create(scale);
        var z = Vector512.Create((float)zeroPoint);
        nuint i = 0;
        for (; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

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

            ((Vector512.ConvertToSingle(a) - z) * s).StoreUnsafe(ref target, i);
            ((Vector512.ConvertToSingle(b) - z) * s).StoreUnsafe(ref target, i + 16);
            ((Vector512.ConvertToSingle(c) - z) * s).StoreUnsafe(ref target, i + (2 * 16));
            ((Vector512.ConvertToSingle(d) - z) * s).StoreUnsafe(ref target, i + (3 * 16));
            if (i + Step == n)
            {
                break;
            }
        }

        return quantized.Length;
    }

    // ---- Vector256: 8 floats per vector, 32 elements per step ----

    private static int Quantize256(ReadOnlySpan<float> values, float scale, int zeroPoint, int lo, int hi, Span<byte> destination)
    {
        nuint n = (nuint)values.Length;
        const int Step = 4 * 8;
        if (n < Step)
        {
            return 0;
        }

        ref float source = ref MemoryMarshal.GetReference(values);
        ref byte target = ref MemoryMarshal.GetReference(destination);
        var s = Vector256.Create(scale);
        var z = Vector256.Create((float)zeroPoint);
        var l = Vector256.Create((float)lo);
        var h = Vector256.Create((float)hi);
        nuint i = 0;
        for (; i + Step <= n; i += Step)
        {
            Store256(ref source, ref target, i, s, z, l, h);
        }

        if (i < n)
        {
            // Overlap the last full step: quantization is elementwise, rewriting a few bytes is harmless.
            Store256(ref source, ref target, n - Step, s, z, l, h);
        }

        return values.Length;
    }

    private static int QuantizeRow256(ReadOnlySpan<float> values, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, int lo, int hi, Span<byte> destination)
    {
        nuint n = (nuint)values.Length;
        const int Step = 4 * 8;
        if (n < Step)
        {
            return 0;
        }

        ref float source = ref MemoryMarshal.GetReference(values);
        ref float scale = ref MemoryMarshal.GetReference(scales);
        ref int zero = ref MemoryMarshal.GetReference(zeroPoints);
        ref byte target = ref MemoryMarshal.GetReference(destination);
        var l = Vector256.Create((float)lo);
        var h = Vector256.Create((float)hi);
        nuint i = 0;
        for (; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var a = QuantizeStep(Vector256.LoadUnsafe(ref source, i), Vector256.LoadUnsafe(ref scale, i), Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref zero, i)), l, h);
            var b = QuantizeStep(Vector256.LoadUnsafe(ref source, i + 8), Vector256.LoadUnsafe(ref scale, i + 8), Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref zero, i + 8)), l, h);
            var c = QuantizeStep(Vector256.LoadUnsafe(ref source, i + (2 * 8)), Vector256.LoadUnsafe(ref scale, i + (2 * 8)), Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref zero, i + (2 * 8))), l, h);
            var d = QuantizeStep(Vector256.LoadUnsafe(ref source, i + (3 * 8)), Vector256.LoadUnsafe(ref scale, i + (3 * 8)), Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref zero, i + (3 * 8))), l, h);
            Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, d)).AsByte().StoreUnsafe(ref target, i);
            if (i + Step == n)
            {
                break;
            }
        }

        return values.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(ref float source, ref byte target, nuint i, Vector256<float> s, Vector256<float> z, Vector256<float> l, Vector256<float> h)
    {
        var a = QuantizeStep(Vector256.LoadUnsafe(ref source, i), s, z, l, h);
        var b = QuantizeStep(Vector256.LoadUnsafe(ref source, i + 8), s, z, l, h);
        var c = QuantizeStep(Vector256.LoadUnsafe(ref source, i + (2 * 8)), s, z, l, h);
        var d = QuantizeStep(Vector256.LoadUnsafe(ref source, i + (3 * 8)), s, z, l, h);
        Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, d)).AsByte().StoreUnsafe(ref target, i);
    }

    /// <summary>The vector form of <see cref="QuantizeOne"/>: divide, NaN to 0, round half to even, add zero point, saturate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> QuantizeStep(Vector256<float> x, Vector256<float> scale, Vector256<float> zeroPoint, Vector256<float> lo, Vector256<float> hi)
    {
        var v = x / scale;
        v &= Vector256.Equals(v, v);
        v = Vector256.Round(v) + zeroPoint;
        v = Vector256.MinNative(Vector256.MaxNative(v, lo), hi);
        return Vector256.ConvertToInt32Native(v);
    }

    private static int Dequantize256(ReadOnlySpan<byte> quantized, float scale, int zeroPoint, Span<float> destination, bool signed)
    {
        nuint n = (nuint)quantized.Length;
        const int Step = 4 * 8;
        if (n < Step)
        {
            return 0;
        }

        ref byte source = ref MemoryMarshal.GetReference(quantized);
        ref float target = ref MemoryMarshal.GetReference(destination);
        var s = Vector256.Create(scale);
        var z = Vector256.Create((float)zeroPoint);
        nuint i = 0;
        for (; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var bytes = Vector256.LoadUnsafe(ref source, i);
            Vector256<int> a, b, c, d;
            if (signed)
            {
                var (lower, upper) = Vector256.Widen(bytes.AsSByte());
                (a, b) = Vector256.Widen(lower);
                (c, d) = Vector256.Widen(upper);
            }
            else
            {
                var (lower, upper) = Vector256.Widen(bytes);
                (a, b) = Vector256.Widen(lower.AsInt16());
                (c, d) = Vector256.Widen(upper.AsInt16());
            }

            ((Vector256.ConvertToSingle(a) - z) * s).StoreUnsafe(ref target, i);
            ((Vector256.ConvertToSingle(b) - z) * s).StoreUnsafe(ref target, i + 8);
            ((Vector256.ConvertToSingle(c) - z) * s).StoreUnsafe(ref target, i + (2 * 8));
            ((Vector256.ConvertToSingle(d) - z) * s).StoreUnsafe(ref target, i + (3 * 8));
            if (i + Step == n)
            {
                break;
            }
        }

        return quantized.Length;
    }

    // ---- Vector128: 4 floats per vector, 16 elements per step ----

    private static int Quantize128(ReadOnlySpan<float> values, float scale, int zeroPoint, int lo, int hi, Span<byte> destination)
    {
        nuint n = (nuint)values.Length;
        const int Step = 4 * 4;
        if (n < Step)
        {
            return 0;
        }

        ref float source = ref MemoryMarshal.GetReference(values);
        ref byte target = ref MemoryMarshal.GetReference(destination);
        var s = Vector128.Create(scale);
        var z = Vector128.Create((float)zeroPoint);
        var l = Vector128.Create((float)lo);
        var h = Vector128.Create((float)hi);
        nuint i = 0;
        for (; i + Step <= n; i += Step)
        {
            Store128(ref source, ref target, i, s, z, l, h);
        }

        if (i < n)
        {
            // Overlap the last full step: quantization is elementwise, rewriting a few bytes is harmless.
            Store128(ref source, ref target, n - Step, s, z, l, h);
        }

        return values.Length;
    }

    private static int QuantizeRow128(ReadOnlySpan<float> values, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, int lo, int hi, Span<byte> destination)
    {
        nuint n = (nuint)values.Length;
        const int Step = 4 * 4;
        if (n < Step)
        {
            return 0;
        }

        ref float source = ref MemoryMarshal.GetReference(values);
        ref float scale = ref MemoryMarshal.GetReference(scales);
        ref int zero = ref MemoryMarshal.GetReference(zeroPoints);
        ref byte target = ref MemoryMarshal.GetReference(destination);
        var l = Vector128.Create((float)lo);
        var h = Vector128.Create((float)hi);
        nuint i = 0;
        for (; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var a = QuantizeStep(Vector128.LoadUnsafe(ref source, i), Vector128.LoadUnsafe(ref scale, i), Vector128.ConvertToSingle(Vector128.LoadUnsafe(ref zero, i)), l, h);
            var b = QuantizeStep(Vector128.LoadUnsafe(ref source, i + 4), Vector128.LoadUnsafe(ref scale, i + 4), Vector128.ConvertToSingle(Vector128.LoadUnsafe(ref zero, i + 4)), l, h);
            var c = QuantizeStep(Vector128.LoadUnsafe(ref source, i + (2 * 4)), Vector128.LoadUnsafe(ref scale, i + (2 * 4)), Vector128.ConvertToSingle(Vector128.LoadUnsafe(ref zero, i + (2 * 4))), l, h);
            var d = QuantizeStep(Vector128.LoadUnsafe(ref source, i + (3 * 4)), Vector128.LoadUnsafe(ref scale, i + (3 * 4)), Vector128.ConvertToSingle(Vector128.LoadUnsafe(ref zero, i + (3 * 4))), l, h);
            Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(c, d)).AsByte().StoreUnsafe(ref target, i);
            if (i + Step == n)
            {
                break;
            }
        }

        return values.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store128(ref float source, ref byte target, nuint i, Vector128<float> s, Vector128<float> z, Vector128<float> l, Vector128<float> h)
    {
        var a = QuantizeStep(Vector128.LoadUnsafe(ref source, i), s, z, l, h);
        var b = QuantizeStep(Vector128.LoadUnsafe(ref source, i + 4), s, z, l, h);
        var c = QuantizeStep(Vector128.LoadUnsafe(ref source, i + (2 * 4)), s, z, l, h);
        var d = QuantizeStep(Vector128.LoadUnsafe(ref source, i + (3 * 4)), s, z, l, h);
        Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(c, d)).AsByte().StoreUnsafe(ref target, i);
    }

    /// <summary>The vector form of <see cref="QuantizeOne"/>: divide, NaN to 0, round half to even, add zero point, saturate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> QuantizeStep(Vector128<float> x, Vector128<float> scale, Vector128<float> zeroPoint, Vector128<float> lo, Vector128<float> hi)
    {
        var v = x / scale;
        v &= Vector128.Equals(v, v);
        v = Vector128.Round(v) + zeroPoint;
        v = Vector128.MinNative(Vector128.MaxNative(v, lo), hi);
        return Vector128.ConvertToInt32Native(v);
    }

    private static int Dequantize128(ReadOnlySpan<byte> quantized, float scale, int zeroPoint, Span<float> destination, bool signed)
    {
        nuint n = (nuint)quantized.Length;
        const int Step = 4 * 4;
        if (n < Step)
        {
            return 0;
        }

        ref byte source = ref MemoryMarshal.GetReference(quantized);
        ref float target = ref MemoryMarshal.GetReference(destination);
        var s = Vector128.Create(scale);
        var z = Vector128.Create((float)zeroPoint);
        nuint i = 0;
        for (; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var bytes = Vector128.LoadUnsafe(ref source, i);
            Vector128<int> a, b, c, d;
            if (signed)
            {
                var (lower, upper) = Vector128.Widen(bytes.AsSByte());
                (a, b) = Vector128.Widen(lower);
                (c, d) = Vector128.Widen(upper);
            }
            else
            {
                var (lower, upper) = Vector128.Widen(bytes);
                (a, b) = Vector128.Widen(lower.AsInt16());
                (c, d) = Vector128.Widen(upper.AsInt16());
            }

            ((Vector128.ConvertToSingle(a) - z) * s).StoreUnsafe(ref target, i);
            ((Vector128.ConvertToSingle(b) - z) * s).StoreUnsafe(ref target, i + 4);
            ((Vector128.ConvertToSingle(c) - z) * s).StoreUnsafe(ref target, i + (2 * 4));
            ((Vector128.ConvertToSingle(d) - z) * s).StoreUnsafe(ref target, i + (3 * 4));
            if (i + Step == n)
            {
                break;
            }
        }

        return quantized.Length;
    }
}
