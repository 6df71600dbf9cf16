using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

/// <summary>ONNX DequantizeLinear: <c>(q - zeroPoint) * scale</c> (the int difference is exact in float).</summary>
internal readonly struct AffineDequantizeOperator(float scale, int zeroPoint) : IIntToFloatOperator
{
    private readonly float _scale = scale;
    private readonly int _zeroPoint = zeroPoint;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(int q) => AffineKernels.DequantizeOne(q, _scale, _zeroPoint);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<int> q) => Vector128.ConvertToSingle(q - Vector128.Create(_zeroPoint)) * Vector128.Create(_scale);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<int> q) => Vector256.ConvertToSingle(q - Vector256.Create(_zeroPoint)) * Vector256.Create(_scale);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<int> q) => Vector512.ConvertToSingle(q - Vector512.Create(_zeroPoint)) * Vector512.Create(_scale);
}
