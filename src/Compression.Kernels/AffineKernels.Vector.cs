using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// Quantize/dequantize with a parameter per element (a row of per-channel or per-block parameters), generated
// per width from one template. Uniform-parameter kernels are operators run by WidthChangeDriver instead.
internal static partial class AffineKernels
{
    private static int QuantizeRowVector(ReadOnlySpan<float> values, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, int lo, int hi, Span<byte> destination, KernelIsa isa) => isa switch
    {
        KernelIsa.Vector512 when values.Length >= 64 => QuantizeRow512(values, scales, zeroPoints, lo, hi, destination),
        KernelIsa.Vector512 or KernelIsa.Vector256 when values.Length >= 32 => QuantizeRow256(values, scales, zeroPoints, lo, hi, destination),
        KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 => QuantizeRow128(values, scales, zeroPoints, lo, hi, destination),
        _ => 0,
    };

    private static int DequantizeRowVector(ReadOnlySpan<byte> quantized, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination, bool signed, KernelIsa isa) => isa switch
    {
        KernelIsa.Vector512 => DequantizeRow512(quantized, scales, zeroPoints, destination, signed),
        KernelIsa.Vector256 => DequantizeRow256(quantized, scales, zeroPoints, destination, signed),
        KernelIsa.Vector128 => DequantizeRow128(quantized, scales, zeroPoints, destination, signed),
        _ => 0,
    };

    // ---- Vector512: 16 floats per vector, 64 elements per step ----

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

    // ---- Vector256: 8 floats per vector, 32 elements per step ----

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

    /// <summary>The vector form of <see cref="QuantizeOne"/>: divide, NaN to 0, round half to even, add zero point, saturate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<int> QuantizeStep(Vector256<float> x, Vector256<float> scale, Vector256<float> zeroPoint, Vector256<float> lo, Vector256<float> hi)
    {
        var v = x / scale;
        v &= Vector256.Equals(v, v);
        v = Vector256.Round(v) + zeroPoint;
        v = Vector256.MinNative(Vector256.MaxNative(v, lo), hi);
        return Vector256.ConvertToInt32Native(v);
    }

    // ---- Vector128: 4 floats per vector, 16 elements per step ----

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

    /// <summary>The vector form of <see cref="QuantizeOne"/>: divide, NaN to 0, round half to even, add zero point, saturate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<int> QuantizeStep(Vector128<float> x, Vector128<float> scale, Vector128<float> zeroPoint, Vector128<float> lo, Vector128<float> hi)
    {
        var v = x / scale;
        v &= Vector128.Equals(v, v);
        v = Vector128.Round(v) + zeroPoint;
        v = Vector128.MinNative(Vector128.MaxNative(v, lo), hi);
        return Vector128.ConvertToInt32Native(v);
    }

    private static int DequantizeRow512(ReadOnlySpan<byte> quantized, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination, bool signed)
    {
        ref byte source = ref MemoryMarshal.GetReference(quantized);
        ref float scale = ref MemoryMarshal.GetReference(scales);
        ref int zero = ref MemoryMarshal.GetReference(zeroPoints);
        ref float target = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)quantized.Length;
        nuint i = 0;
        for (; i + (4 * 16) <= n; i += 4 * 16)
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
            (Vector512.ConvertToSingle(b - Vector512.LoadUnsafe(ref zero, i + 16)) * Vector512.LoadUnsafe(ref scale, i + 16)).StoreUnsafe(ref target, i + 16);
            (Vector512.ConvertToSingle(c - Vector512.LoadUnsafe(ref zero, i + (2 * 16))) * Vector512.LoadUnsafe(ref scale, i + (2 * 16))).StoreUnsafe(ref target, i + (2 * 16));
            (Vector512.ConvertToSingle(d - Vector512.LoadUnsafe(ref zero, i + (3 * 16))) * Vector512.LoadUnsafe(ref scale, i + (3 * 16))).StoreUnsafe(ref target, i + (3 * 16));
        }

        return (int)i;
    }

    private static int DequantizeRow256(ReadOnlySpan<byte> quantized, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination, bool signed)
    {
        ref byte source = ref MemoryMarshal.GetReference(quantized);
        ref float scale = ref MemoryMarshal.GetReference(scales);
        ref int zero = ref MemoryMarshal.GetReference(zeroPoints);
        ref float target = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)quantized.Length;
        nuint i = 0;
        for (; i + (4 * 8) <= n; i += 4 * 8)
        {
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

            (Vector256.ConvertToSingle(a - Vector256.LoadUnsafe(ref zero, i)) * Vector256.LoadUnsafe(ref scale, i)).StoreUnsafe(ref target, i);
            (Vector256.ConvertToSingle(b - Vector256.LoadUnsafe(ref zero, i + 8)) * Vector256.LoadUnsafe(ref scale, i + 8)).StoreUnsafe(ref target, i + 8);
            (Vector256.ConvertToSingle(c - Vector256.LoadUnsafe(ref zero, i + (2 * 8))) * Vector256.LoadUnsafe(ref scale, i + (2 * 8))).StoreUnsafe(ref target, i + (2 * 8));
            (Vector256.ConvertToSingle(d - Vector256.LoadUnsafe(ref zero, i + (3 * 8))) * Vector256.LoadUnsafe(ref scale, i + (3 * 8))).StoreUnsafe(ref target, i + (3 * 8));
        }

        return (int)i;
    }

    private static int DequantizeRow128(ReadOnlySpan<byte> quantized, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination, bool signed)
    {
        ref byte source = ref MemoryMarshal.GetReference(quantized);
        ref float scale = ref MemoryMarshal.GetReference(scales);
        ref int zero = ref MemoryMarshal.GetReference(zeroPoints);
        ref float target = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)quantized.Length;
        nuint i = 0;
        for (; i + (4 * 4) <= n; i += 4 * 4)
        {
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

            (Vector128.ConvertToSingle(a - Vector128.LoadUnsafe(ref zero, i)) * Vector128.LoadUnsafe(ref scale, i)).StoreUnsafe(ref target, i);
            (Vector128.ConvertToSingle(b - Vector128.LoadUnsafe(ref zero, i + 4)) * Vector128.LoadUnsafe(ref scale, i + 4)).StoreUnsafe(ref target, i + 4);
            (Vector128.ConvertToSingle(c - Vector128.LoadUnsafe(ref zero, i + (2 * 4))) * Vector128.LoadUnsafe(ref scale, i + (2 * 4))).StoreUnsafe(ref target, i + (2 * 4));
            (Vector128.ConvertToSingle(d - Vector128.LoadUnsafe(ref zero, i + (3 * 4))) * Vector128.LoadUnsafe(ref scale, i + (3 * 4))).StoreUnsafe(ref target, i + (3 * 4));
        }

        return (int)i;
    }
}
