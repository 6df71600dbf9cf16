using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// float16 on integer bit operations: .NET 10 exposes neither F16C (vcvtps2ph) nor AVX512-FP16 conversions.

/// <summary>float to float16 bits, IEEE round to nearest even, overflow to infinity, NaN kept (quiet).</summary>
internal readonly struct HalfOperator : IFloatToBits16Operator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort Invoke(float x) => BitConverter.HalfToUInt16Bits((Half)x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<uint> Invoke(Vector128<float> x)
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
        return result | (sign >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<uint> Invoke(Vector256<float> x)
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
        return result | (sign >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> Invoke(Vector512<float> x)
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
        return result | (sign >> 16);
    }
}

/// <summary>float to float16 bits, clamped to [-65504, 65504] first (NaN stays NaN).</summary>
internal readonly struct HalfSaturatingOperator : IFloatToBits16Operator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort Invoke(float x) => default(HalfOperator).Invoke(Math.Clamp(x, -65504f, 65504f));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<uint> Invoke(Vector128<float> x) =>
        default(HalfOperator).Invoke(Vector128.Clamp(x, Vector128.Create(-65504f), Vector128.Create(65504f)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<uint> Invoke(Vector256<float> x) =>
        default(HalfOperator).Invoke(Vector256.Clamp(x, Vector256.Create(-65504f), Vector256.Create(65504f)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> Invoke(Vector512<float> x) =>
        default(HalfOperator).Invoke(Vector512.Clamp(x, Vector512.Create(-65504f), Vector512.Create(65504f)));
}

/// <summary>float16 bits to float (exact; NaN made quiet, as <c>(float)Half</c>).</summary>
internal readonly struct HalfToSingleOperator : IBits16ToFloatOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<uint> bits)
    {
        var shifted = (bits & Vector128.Create(0x7FFFu)) << 13;
        var exponent = shifted & Vector128.Create(0x0F800000u);
        var o = shifted + Vector128.Create(0x38000000u);

        // Infinity and NaN: the exponent must end up all ones.
        o += Vector128.Equals(exponent, Vector128.Create(0x0F800000u)) & Vector128.Create(0x38000000u);

        // Zero and subnormals: renormalise with a float subtraction (exact).
        var subnormal = ((o + Vector128.Create(0x00800000u)).AsSingle() - Vector128.Create(0x38800000u).AsSingle()).AsUInt32();
        o = Vector128.ConditionalSelect(Vector128.Equals(exponent, Vector128<uint>.Zero), subnormal, o);

        // NaN comes out quiet, as (float)Half does.
        o |= Vector128.GreaterThan(bits & Vector128.Create(0x7FFFu), Vector128.Create(0x7C00u)) & Vector128.Create(0x00400000u);
        return (o | ((bits & Vector128.Create(0x8000u)) << 16)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<uint> bits)
    {
        var shifted = (bits & Vector256.Create(0x7FFFu)) << 13;
        var exponent = shifted & Vector256.Create(0x0F800000u);
        var o = shifted + Vector256.Create(0x38000000u);

        // Infinity and NaN: the exponent must end up all ones.
        o += Vector256.Equals(exponent, Vector256.Create(0x0F800000u)) & Vector256.Create(0x38000000u);

        // Zero and subnormals: renormalise with a float subtraction (exact).
        var subnormal = ((o + Vector256.Create(0x00800000u)).AsSingle() - Vector256.Create(0x38800000u).AsSingle()).AsUInt32();
        o = Vector256.ConditionalSelect(Vector256.Equals(exponent, Vector256<uint>.Zero), subnormal, o);

        // NaN comes out quiet, as (float)Half does.
        o |= Vector256.GreaterThan(bits & Vector256.Create(0x7FFFu), Vector256.Create(0x7C00u)) & Vector256.Create(0x00400000u);
        return (o | ((bits & Vector256.Create(0x8000u)) << 16)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<uint> bits)
    {
        var shifted = (bits & Vector512.Create(0x7FFFu)) << 13;
        var exponent = shifted & Vector512.Create(0x0F800000u);
        var o = shifted + Vector512.Create(0x38000000u);

        // Infinity and NaN: the exponent must end up all ones.
        o += Vector512.Equals(exponent, Vector512.Create(0x0F800000u)) & Vector512.Create(0x38000000u);

        // Zero and subnormals: renormalise with a float subtraction (exact).
        var subnormal = ((o + Vector512.Create(0x00800000u)).AsSingle() - Vector512.Create(0x38800000u).AsSingle()).AsUInt32();
        o = Vector512.ConditionalSelect(Vector512.Equals(exponent, Vector512<uint>.Zero), subnormal, o);

        // NaN comes out quiet, as (float)Half does.
        o |= Vector512.GreaterThan(bits & Vector512.Create(0x7FFFu), Vector512.Create(0x7C00u)) & Vector512.Create(0x00400000u);
        return (o | ((bits & Vector512.Create(0x8000u)) << 16)).AsSingle();
    }
}
