using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// float16 on integer bit operations: .NET 10 exposes neither F16C (vcvtps2ph) nor AVX512-FP16 conversions.

/// <summary>float to float16 bits, IEEE round to nearest even, overflow to infinity, NaN kept (quiet).</summary>
internal readonly partial struct HalfOperator : IFloatToBits16Operator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort Invoke(float x) => BitConverter.HalfToUInt16Bits((Half)x);
}

/// <summary>float to float16 bits, clamped to [-65504, 65504] first (NaN stays NaN).</summary>
internal readonly partial struct HalfSaturatingOperator : IFloatToBits16Operator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort Invoke(float x) => default(HalfOperator).Invoke(Math.Clamp(x, -65504f, 65504f));
}

/// <summary>float16 bits to float (exact; NaN made quiet, as <c>(float)Half</c>).</summary>
internal readonly partial struct HalfToSingleOperator : IBits16ToFloatOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);
}
