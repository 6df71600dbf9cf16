using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// float <-> float16/bfloat16 on integer bit operations (no F16C or AVX512-BF16 intrinsics are exposed in .NET 10).
// The Vector128/256/512 methods are generated from one template; each step converts two float vectors to one
// vector of 16-bit values (or back), and the tail overlaps the last full step (elementwise, no aliasing).
internal static class FloatConversionKernels
{
    private const uint HalfSignShift = 16;

    // ---- scalar references ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort HalfBitsScalar(float x, bool saturate)
    {
        if (saturate)
        {
            x = Math.Clamp(x, -65504f, 65504f);
        }

        return BitConverter.HalfToUInt16Bits((Half)x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort BFloat16BitsScalar(float x, bool saturate)
    {
        if (saturate)
        {
            x = Math.Clamp(x, -FloatConverter.BFloat16MaxValue, FloatConverter.BFloat16MaxValue);
        }

        uint bits = BitConverter.SingleToUInt32Bits(x);
        if (float.IsNaN(x))
        {
            return (ushort)((bits >> 16) | 0x0040);
        }

        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1)) >> 16);
    }

    public static void ToHalf(ReadOnlySpan<float> source, Span<ushort> destination, bool saturate, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 when source.Length >= 32 => ToHalf512(source, destination, saturate),
            KernelIsa.Vector512 or KernelIsa.Vector256 when source.Length >= 16 => ToHalf256(source, destination, saturate),
            KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 => ToHalf128(source, destination, saturate),
            _ => 0,
        };
        for (int i = done; i < source.Length; i++)
        {
            destination[i] = HalfBitsScalar(source[i], saturate);
        }
    }

    public static void ToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination, bool saturate, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 when source.Length >= 32 => ToBFloat16512(source, destination, saturate),
            KernelIsa.Vector512 or KernelIsa.Vector256 when source.Length >= 16 => ToBFloat16256(source, destination, saturate),
            KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 => ToBFloat16128(source, destination, saturate),
            _ => 0,
        };
        for (int i = done; i < source.Length; i++)
        {
            destination[i] = BFloat16BitsScalar(source[i], saturate);
        }
    }

    public static void FromHalf(ReadOnlySpan<ushort> source, Span<float> destination, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 when source.Length >= 32 => FromHalf512(source, destination),
            KernelIsa.Vector512 or KernelIsa.Vector256 when source.Length >= 16 => FromHalf256(source, destination),
            KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 => FromHalf128(source, destination),
            _ => 0,
        };
        for (int i = done; i < source.Length; i++)
        {
            destination[i] = (float)BitConverter.UInt16BitsToHalf(source[i]);
        }
    }

    public static void FromBFloat16(ReadOnlySpan<ushort> source, Span<float> destination, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 when source.Length >= 32 => FromBFloat16512(source, destination),
            KernelIsa.Vector512 or KernelIsa.Vector256 when source.Length >= 16 => FromBFloat16256(source, destination),
            KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 => FromBFloat16128(source, destination),
            _ => 0,
        };
        for (int i = done; i < source.Length; i++)
        {
            destination[i] = BitConverter.UInt32BitsToSingle((uint)source[i] << 16);
        }
    }

    // ---- Vector512 ----

    private static int ToHalf512(ReadOnlySpan<float> source, Span<ushort> destination, bool saturate)
    {
        nuint n = (nuint)source.Length;
        const int Step = 2 * 16;
        if (n < Step)
        {
            return 0;
        }

        ref float s = ref MemoryMarshal.GetReference(source);
        ref ushort t = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var a = Vector512.LoadUnsafe(ref s, i);
            var b = Vector512.LoadUnsafe(ref s, i + 16);
            if (saturate)
            {
                a = Vector512.Clamp(a, Vector512.Create(-65504f), Vector512.Create(65504f));
                b = Vector512.Clamp(b, Vector512.Create(-65504f), Vector512.Create(65504f));
            }

            Vector512.Narrow(HalfBits(a), HalfBits(b)).StoreUnsafe(ref t, i);
            if (i + Step == n)
            {
                break;
            }
        }

        return source.Length;
    }

    /// <summary>float bits to float16 bits (in the low half of each lane), round to nearest even.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> HalfBits(Vector512<float> x)
    {
        var bits = x.AsUInt32();
        var sign = bits & Vector512.Create(0x80000000u);
        var abs = bits ^ sign;

        // Results below the smallest normal float16: adding 0.5f aligns the 10 mantissa bits at the bottom and
        // the FPU's round-to-nearest-even does the rounding.
        var subnormal = (abs.AsSingle() + Vector512.Create(0.5f)).AsUInt32() - Vector512.Create(0x3F000000u);

        // Normal results: rebias the exponent, add the rounding bias (0xFFF plus the lowest kept bit), shift.
        var normal = (abs + Vector512.Create(0xC8000FFFu) + ((abs >> 13) & Vector512.Create(1u))) >> 13;

        var result = Vector512.ConditionalSelect(Vector512.LessThan(abs, Vector512.Create(0x38800000u)), subnormal, normal);
        result = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(abs, Vector512.Create(0x47800000u)), Vector512.Create(0x7C00u), result);
        var nan = Vector512.Create(0x7E00u) | ((abs >> 13) & Vector512.Create(0x3FFu));
        result = Vector512.ConditionalSelect(Vector512.GreaterThan(abs, Vector512.Create(0x7F800000u)), nan, result);
        return result | (sign >> (int)HalfSignShift);
    }

    private static int ToBFloat16512(ReadOnlySpan<float> source, Span<ushort> destination, bool saturate)
    {
        nuint n = (nuint)source.Length;
        const int Step = 2 * 16;
        if (n < Step)
        {
            return 0;
        }

        ref float s = ref MemoryMarshal.GetReference(source);
        ref ushort t = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var a = Vector512.LoadUnsafe(ref s, i);
            var b = Vector512.LoadUnsafe(ref s, i + 16);
            if (saturate)
            {
                a = Vector512.Clamp(a, Vector512.Create(-FloatConverter.BFloat16MaxValue), Vector512.Create(FloatConverter.BFloat16MaxValue));
                b = Vector512.Clamp(b, Vector512.Create(-FloatConverter.BFloat16MaxValue), Vector512.Create(FloatConverter.BFloat16MaxValue));
            }

            Vector512.Narrow(BFloat16Bits(a), BFloat16Bits(b)).StoreUnsafe(ref t, i);
            if (i + Step == n)
            {
                break;
            }
        }

        return source.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> BFloat16Bits(Vector512<float> x)
    {
        var bits = x.AsUInt32();
        var rounded = (bits + Vector512.Create(0x7FFFu) + ((bits >> 16) & Vector512.Create(1u))) >> 16;
        var quietNaN = (bits >> 16) | Vector512.Create(0x40u);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x).AsUInt32(), rounded, quietNaN);
    }

    private static int FromHalf512(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        nuint n = (nuint)source.Length;
        const int Step = 2 * 16;
        if (n < Step)
        {
            return 0;
        }

        ref ushort s = ref MemoryMarshal.GetReference(source);
        ref float t = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref s, i));
            FloatFromHalfBits(lower).StoreUnsafe(ref t, i);
            FloatFromHalfBits(upper).StoreUnsafe(ref t, i + 16);
            if (i + Step == n)
            {
                break;
            }
        }

        return source.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> FloatFromHalfBits(Vector512<uint> h)
    {
        var shifted = (h & Vector512.Create(0x7FFFu)) << 13;
        var exponent = shifted & Vector512.Create(0x0F800000u);
        var o = shifted + Vector512.Create(0x38000000u);

        // Infinity and NaN: the exponent must end up all ones.
        var infNaN = Vector512.Equals(exponent, Vector512.Create(0x0F800000u));
        o += infNaN & Vector512.Create(0x38000000u);

        // Zero and subnormals: renormalise with a float subtraction (exact).
        var subnormal = ((o + Vector512.Create(0x00800000u)).AsSingle() - Vector512.Create(0x38800000u).AsSingle()).AsUInt32();
        o = Vector512.ConditionalSelect(Vector512.Equals(exponent, Vector512<uint>.Zero), subnormal, o);

        // NaN comes out quiet, as (float)Half does.
        o |= Vector512.GreaterThan(h & Vector512.Create(0x7FFFu), Vector512.Create(0x7C00u)) & Vector512.Create(0x00400000u);
        return (o | ((h & Vector512.Create(0x8000u)) << 16)).AsSingle();
    }

    private static int FromBFloat16512(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        nuint n = (nuint)source.Length;
        const int Step = 2 * 16;
        if (n < Step)
        {
            return 0;
        }

        ref ushort s = ref MemoryMarshal.GetReference(source);
        ref float t = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref s, i));
            (lower << 16).AsSingle().StoreUnsafe(ref t, i);
            (upper << 16).AsSingle().StoreUnsafe(ref t, i + 16);
            if (i + Step == n)
            {
                break;
            }
        }

        return source.Length;
    }

    // ---- Vector256 ----

    private static int ToHalf256(ReadOnlySpan<float> source, Span<ushort> destination, bool saturate)
    {
        nuint n = (nuint)source.Length;
        const int Step = 2 * 8;
        if (n < Step)
        {
            return 0;
        }

        ref float s = ref MemoryMarshal.GetReference(source);
        ref ushort t = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var a = Vector256.LoadUnsafe(ref s, i);
            var b = Vector256.LoadUnsafe(ref s, i + 8);
            if (saturate)
            {
                a = Vector256.Clamp(a, Vector256.Create(-65504f), Vector256.Create(65504f));
                b = Vector256.Clamp(b, Vector256.Create(-65504f), Vector256.Create(65504f));
            }

            Vector256.Narrow(HalfBits(a), HalfBits(b)).StoreUnsafe(ref t, i);
            if (i + Step == n)
            {
                break;
            }
        }

        return source.Length;
    }

    /// <summary>float bits to float16 bits (in the low half of each lane), round to nearest even.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> HalfBits(Vector256<float> x)
    {
        var bits = x.AsUInt32();
        var sign = bits & Vector256.Create(0x80000000u);
        var abs = bits ^ sign;

        // Results below the smallest normal float16: adding 0.5f aligns the 10 mantissa bits at the bottom and
        // the FPU's round-to-nearest-even does the rounding.
        var subnormal = (abs.AsSingle() + Vector256.Create(0.5f)).AsUInt32() - Vector256.Create(0x3F000000u);

        // Normal results: rebias the exponent, add the rounding bias (0xFFF plus the lowest kept bit), shift.
        var normal = (abs + Vector256.Create(0xC8000FFFu) + ((abs >> 13) & Vector256.Create(1u))) >> 13;

        var result = Vector256.ConditionalSelect(Vector256.LessThan(abs, Vector256.Create(0x38800000u)), subnormal, normal);
        result = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(abs, Vector256.Create(0x47800000u)), Vector256.Create(0x7C00u), result);
        var nan = Vector256.Create(0x7E00u) | ((abs >> 13) & Vector256.Create(0x3FFu));
        result = Vector256.ConditionalSelect(Vector256.GreaterThan(abs, Vector256.Create(0x7F800000u)), nan, result);
        return result | (sign >> (int)HalfSignShift);
    }

    private static int ToBFloat16256(ReadOnlySpan<float> source, Span<ushort> destination, bool saturate)
    {
        nuint n = (nuint)source.Length;
        const int Step = 2 * 8;
        if (n < Step)
        {
            return 0;
        }

        ref float s = ref MemoryMarshal.GetReference(source);
        ref ushort t = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var a = Vector256.LoadUnsafe(ref s, i);
            var b = Vector256.LoadUnsafe(ref s, i + 8);
            if (saturate)
            {
                a = Vector256.Clamp(a, Vector256.Create(-FloatConverter.BFloat16MaxValue), Vector256.Create(FloatConverter.BFloat16MaxValue));
                b = Vector256.Clamp(b, Vector256.Create(-FloatConverter.BFloat16MaxValue), Vector256.Create(FloatConverter.BFloat16MaxValue));
            }

            Vector256.Narrow(BFloat16Bits(a), BFloat16Bits(b)).StoreUnsafe(ref t, i);
            if (i + Step == n)
            {
                break;
            }
        }

        return source.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> BFloat16Bits(Vector256<float> x)
    {
        var bits = x.AsUInt32();
        var rounded = (bits + Vector256.Create(0x7FFFu) + ((bits >> 16) & Vector256.Create(1u))) >> 16;
        var quietNaN = (bits >> 16) | Vector256.Create(0x40u);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x).AsUInt32(), rounded, quietNaN);
    }

    private static int FromHalf256(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        nuint n = (nuint)source.Length;
        const int Step = 2 * 8;
        if (n < Step)
        {
            return 0;
        }

        ref ushort s = ref MemoryMarshal.GetReference(source);
        ref float t = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref s, i));
            FloatFromHalfBits(lower).StoreUnsafe(ref t, i);
            FloatFromHalfBits(upper).StoreUnsafe(ref t, i + 8);
            if (i + Step == n)
            {
                break;
            }
        }

        return source.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> FloatFromHalfBits(Vector256<uint> h)
    {
        var shifted = (h & Vector256.Create(0x7FFFu)) << 13;
        var exponent = shifted & Vector256.Create(0x0F800000u);
        var o = shifted + Vector256.Create(0x38000000u);

        // Infinity and NaN: the exponent must end up all ones.
        var infNaN = Vector256.Equals(exponent, Vector256.Create(0x0F800000u));
        o += infNaN & Vector256.Create(0x38000000u);

        // Zero and subnormals: renormalise with a float subtraction (exact).
        var subnormal = ((o + Vector256.Create(0x00800000u)).AsSingle() - Vector256.Create(0x38800000u).AsSingle()).AsUInt32();
        o = Vector256.ConditionalSelect(Vector256.Equals(exponent, Vector256<uint>.Zero), subnormal, o);

        // NaN comes out quiet, as (float)Half does.
        o |= Vector256.GreaterThan(h & Vector256.Create(0x7FFFu), Vector256.Create(0x7C00u)) & Vector256.Create(0x00400000u);
        return (o | ((h & Vector256.Create(0x8000u)) << 16)).AsSingle();
    }

    private static int FromBFloat16256(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        nuint n = (nuint)source.Length;
        const int Step = 2 * 8;
        if (n < Step)
        {
            return 0;
        }

        ref ushort s = ref MemoryMarshal.GetReference(source);
        ref float t = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref s, i));
            (lower << 16).AsSingle().StoreUnsafe(ref t, i);
            (upper << 16).AsSingle().StoreUnsafe(ref t, i + 8);
            if (i + Step == n)
            {
                break;
            }
        }

        return source.Length;
    }

    // ---- Vector128 ----

    private static int ToHalf128(ReadOnlySpan<float> source, Span<ushort> destination, bool saturate)
    {
        nuint n = (nuint)source.Length;
        const int Step = 2 * 4;
        if (n < Step)
        {
            return 0;
        }

        ref float s = ref MemoryMarshal.GetReference(source);
        ref ushort t = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var a = Vector128.LoadUnsafe(ref s, i);
            var b = Vector128.LoadUnsafe(ref s, i + 4);
            if (saturate)
            {
                a = Vector128.Clamp(a, Vector128.Create(-65504f), Vector128.Create(65504f));
                b = Vector128.Clamp(b, Vector128.Create(-65504f), Vector128.Create(65504f));
            }

            Vector128.Narrow(HalfBits(a), HalfBits(b)).StoreUnsafe(ref t, i);
            if (i + Step == n)
            {
                break;
            }
        }

        return source.Length;
    }

    /// <summary>float bits to float16 bits (in the low half of each lane), round to nearest even.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> HalfBits(Vector128<float> x)
    {
        var bits = x.AsUInt32();
        var sign = bits & Vector128.Create(0x80000000u);
        var abs = bits ^ sign;

        // Results below the smallest normal float16: adding 0.5f aligns the 10 mantissa bits at the bottom and
        // the FPU's round-to-nearest-even does the rounding.
        var subnormal = (abs.AsSingle() + Vector128.Create(0.5f)).AsUInt32() - Vector128.Create(0x3F000000u);

        // Normal results: rebias the exponent, add the rounding bias (0xFFF plus the lowest kept bit), shift.
        var normal = (abs + Vector128.Create(0xC8000FFFu) + ((abs >> 13) & Vector128.Create(1u))) >> 13;

        var result = Vector128.ConditionalSelect(Vector128.LessThan(abs, Vector128.Create(0x38800000u)), subnormal, normal);
        result = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(abs, Vector128.Create(0x47800000u)), Vector128.Create(0x7C00u), result);
        var nan = Vector128.Create(0x7E00u) | ((abs >> 13) & Vector128.Create(0x3FFu));
        result = Vector128.ConditionalSelect(Vector128.GreaterThan(abs, Vector128.Create(0x7F800000u)), nan, result);
        return result | (sign >> (int)HalfSignShift);
    }

    private static int ToBFloat16128(ReadOnlySpan<float> source, Span<ushort> destination, bool saturate)
    {
        nuint n = (nuint)source.Length;
        const int Step = 2 * 4;
        if (n < Step)
        {
            return 0;
        }

        ref float s = ref MemoryMarshal.GetReference(source);
        ref ushort t = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var a = Vector128.LoadUnsafe(ref s, i);
            var b = Vector128.LoadUnsafe(ref s, i + 4);
            if (saturate)
            {
                a = Vector128.Clamp(a, Vector128.Create(-FloatConverter.BFloat16MaxValue), Vector128.Create(FloatConverter.BFloat16MaxValue));
                b = Vector128.Clamp(b, Vector128.Create(-FloatConverter.BFloat16MaxValue), Vector128.Create(FloatConverter.BFloat16MaxValue));
            }

            Vector128.Narrow(BFloat16Bits(a), BFloat16Bits(b)).StoreUnsafe(ref t, i);
            if (i + Step == n)
            {
                break;
            }
        }

        return source.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> BFloat16Bits(Vector128<float> x)
    {
        var bits = x.AsUInt32();
        var rounded = (bits + Vector128.Create(0x7FFFu) + ((bits >> 16) & Vector128.Create(1u))) >> 16;
        var quietNaN = (bits >> 16) | Vector128.Create(0x40u);
        return Vector128.ConditionalSelect(Vector128.Equals(x, x).AsUInt32(), rounded, quietNaN);
    }

    private static int FromHalf128(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        nuint n = (nuint)source.Length;
        const int Step = 2 * 4;
        if (n < Step)
        {
            return 0;
        }

        ref ushort s = ref MemoryMarshal.GetReference(source);
        ref float t = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref s, i));
            FloatFromHalfBits(lower).StoreUnsafe(ref t, i);
            FloatFromHalfBits(upper).StoreUnsafe(ref t, i + 4);
            if (i + Step == n)
            {
                break;
            }
        }

        return source.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> FloatFromHalfBits(Vector128<uint> h)
    {
        var shifted = (h & Vector128.Create(0x7FFFu)) << 13;
        var exponent = shifted & Vector128.Create(0x0F800000u);
        var o = shifted + Vector128.Create(0x38000000u);

        // Infinity and NaN: the exponent must end up all ones.
        var infNaN = Vector128.Equals(exponent, Vector128.Create(0x0F800000u));
        o += infNaN & Vector128.Create(0x38000000u);

        // Zero and subnormals: renormalise with a float subtraction (exact).
        var subnormal = ((o + Vector128.Create(0x00800000u)).AsSingle() - Vector128.Create(0x38800000u).AsSingle()).AsUInt32();
        o = Vector128.ConditionalSelect(Vector128.Equals(exponent, Vector128<uint>.Zero), subnormal, o);

        // NaN comes out quiet, as (float)Half does.
        o |= Vector128.GreaterThan(h & Vector128.Create(0x7FFFu), Vector128.Create(0x7C00u)) & Vector128.Create(0x00400000u);
        return (o | ((h & Vector128.Create(0x8000u)) << 16)).AsSingle();
    }

    private static int FromBFloat16128(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        nuint n = (nuint)source.Length;
        const int Step = 2 * 4;
        if (n < Step)
        {
            return 0;
        }

        ref ushort s = ref MemoryMarshal.GetReference(source);
        ref float t = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += Step)
        {
            if (i + Step > n)
            {
                if (i == n)
                {
                    break;
                }

                i = n - Step;
            }

            var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref s, i));
            (lower << 16).AsSingle().StoreUnsafe(ref t, i);
            (upper << 16).AsSingle().StoreUnsafe(ref t, i + 4);
            if (i + Step == n)
            {
                break;
            }
        }

        return source.Length;
    }
}
