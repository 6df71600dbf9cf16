using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

/// <summary>ONNX DequantizeLinear: <c>(q - zeroPoint) * scale</c> (the int difference is exact in float).</summary>
internal readonly partial struct AffineDequantizeOperator(float scale, int zeroPoint) : IIntToFloatOperator
{
    private readonly float _scale = scale;
    private readonly int _zeroPoint = zeroPoint;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(int q) => AffineKernels.DequantizeOne(q, _scale, _zeroPoint);
}
