using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 code of BFloat16Operators, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
internal readonly partial struct BFloat16Operator : IFloatToBits16Operator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> Invoke(Vector512<float> x)
    {
        var bits = x.AsUInt32();
        var rounded = (bits + Vector512.Create(0x7FFFu) + ((bits >> 16) & Vector512.Create(1u))) >> 16;
        var quietNaN = (bits >> 16) | Vector512.Create(0x40u);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x).AsUInt32(), rounded, quietNaN);
    }
}

internal readonly partial struct BFloat16SaturatingOperator : IFloatToBits16Operator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> Invoke(Vector512<float> x) =>
        default(BFloat16Operator).Invoke(Vector512.Clamp(x, Vector512.Create(-FloatConverter.BFloat16MaxValue), Vector512.Create(FloatConverter.BFloat16MaxValue)));
}

internal readonly partial struct BFloat16ToSingleOperator : IBits16ToFloatOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<uint> bits) => (bits << 16).AsSingle();
}
