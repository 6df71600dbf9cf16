using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

/// <summary>ONNX QuantizeLinear: <c>saturate(round_half_even(x / scale) + zeroPoint)</c>, NaN to the zero point.</summary>
internal readonly struct AffineQuantizeOperator(float scale, int zeroPoint, int lo, int hi) : IFloatToIntOperator
{
    private readonly float _scale = scale;
    private readonly float _zeroPoint = zeroPoint;
    private readonly float _lo = lo;
    private readonly float _hi = hi;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Invoke(float x) => AffineKernels.QuantizeOne(x, _scale, (int)_zeroPoint, (int)_lo, (int)_hi);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<int> Invoke(Vector128<float> x) =>
        AffineKernels.QuantizeStep(x, Vector128.Create(_scale), Vector128.Create(_zeroPoint), Vector128.Create(_lo), Vector128.Create(_hi));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<int> Invoke(Vector256<float> x) =>
        AffineKernels.QuantizeStep(x, Vector256.Create(_scale), Vector256.Create(_zeroPoint), Vector256.Create(_lo), Vector256.Create(_hi));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<int> Invoke(Vector512<float> x) =>
        AffineKernels.QuantizeStep(x, Vector512.Create(_scale), Vector512.Create(_zeroPoint), Vector512.Create(_lo), Vector512.Create(_hi));
}
