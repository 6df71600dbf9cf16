using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// bfloat16 on integer bit operations: .NET 10 does not expose AVX512-BF16 (vcvtneps2bf16).

/// <summary>float to bfloat16 bits: round to nearest even, overflow to infinity, NaN kept and made quiet.</summary>
internal readonly struct BFloat16Operator : IFloatToBits16Operator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort Invoke(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        if (float.IsNaN(x))
        {
            return (ushort)((bits >> 16) | 0x0040);
        }

        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1)) >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<uint> Invoke(Vector128<float> x)
    {
        var bits = x.AsUInt32();
        var rounded = (bits + Vector128.Create(0x7FFFu) + ((bits >> 16) & Vector128.Create(1u))) >> 16;
        var quietNaN = (bits >> 16) | Vector128.Create(0x40u);
        return Vector128.ConditionalSelect(Vector128.Equals(x, x).AsUInt32(), rounded, quietNaN);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<uint> Invoke(Vector256<float> x)
    {
        var bits = x.AsUInt32();
        var rounded = (bits + Vector256.Create(0x7FFFu) + ((bits >> 16) & Vector256.Create(1u))) >> 16;
        var quietNaN = (bits >> 16) | Vector256.Create(0x40u);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x).AsUInt32(), rounded, quietNaN);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> Invoke(Vector512<float> x)
    {
        var bits = x.AsUInt32();
        var rounded = (bits + Vector512.Create(0x7FFFu) + ((bits >> 16) & Vector512.Create(1u))) >> 16;
        var quietNaN = (bits >> 16) | Vector512.Create(0x40u);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x).AsUInt32(), rounded, quietNaN);
    }
}

/// <summary>float to bfloat16 bits, clamped to the finite range first (NaN stays NaN).</summary>
internal readonly struct BFloat16SaturatingOperator : IFloatToBits16Operator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort Invoke(float x) => default(BFloat16Operator).Invoke(Math.Clamp(x, -FloatConverter.BFloat16MaxValue, FloatConverter.BFloat16MaxValue));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<uint> Invoke(Vector128<float> x) =>
        default(BFloat16Operator).Invoke(Vector128.Clamp(x, Vector128.Create(-FloatConverter.BFloat16MaxValue), Vector128.Create(FloatConverter.BFloat16MaxValue)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<uint> Invoke(Vector256<float> x) =>
        default(BFloat16Operator).Invoke(Vector256.Clamp(x, Vector256.Create(-FloatConverter.BFloat16MaxValue), Vector256.Create(FloatConverter.BFloat16MaxValue)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> Invoke(Vector512<float> x) =>
        default(BFloat16Operator).Invoke(Vector512.Clamp(x, Vector512.Create(-FloatConverter.BFloat16MaxValue), Vector512.Create(FloatConverter.BFloat16MaxValue)));
}

/// <summary>bfloat16 bits to float (exact: the bits are the float's top half).</summary>
internal readonly struct BFloat16ToSingleOperator : IBits16ToFloatOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<uint> bits) => (bits << 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<uint> bits) => (bits << 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<uint> bits) => (bits << 16).AsSingle();
}
