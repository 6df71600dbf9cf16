using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// bfloat16 on integer bit operations: .NET 10 does not expose AVX512-BF16 (vcvtneps2bf16).

/// <summary>float to bfloat16 bits: round to nearest even, overflow to infinity, NaN kept and made quiet.</summary>
internal readonly partial struct BFloat16Operator : IFloatToBits16Operator
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
}

/// <summary>float to bfloat16 bits, clamped to the finite range first (NaN stays NaN).</summary>
internal readonly partial struct BFloat16SaturatingOperator : IFloatToBits16Operator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort Invoke(float x) => default(BFloat16Operator).Invoke(Math.Clamp(x, -FloatConverter.BFloat16MaxValue, FloatConverter.BFloat16MaxValue));
}

/// <summary>bfloat16 bits to float (exact: the bits are the float's top half).</summary>
internal readonly partial struct BFloat16ToSingleOperator : IBits16ToFloatOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
