using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 code of HalfOperators, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
internal readonly partial struct HalfOperator : IFloatToBits16Operator
{
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

internal readonly partial struct HalfSaturatingOperator : IFloatToBits16Operator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> Invoke(Vector512<float> x) =>
        default(HalfOperator).Invoke(Vector512.Clamp(x, Vector512.Create(-65504f), Vector512.Create(65504f)));
}

internal readonly partial struct HalfToSingleOperator : IBits16ToFloatOperator
{
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
