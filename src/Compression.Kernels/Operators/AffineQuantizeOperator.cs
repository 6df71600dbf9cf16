using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

/// <summary>ONNX QuantizeLinear: <c>saturate(round_half_even(x / scale) + zeroPoint)</c>, NaN to the zero point.</summary>
internal readonly partial struct AffineQuantizeOperator(float scale, int zeroPoint, int lo, int hi) : IFloatToIntOperator
{
    private readonly float _scale = scale;
    private readonly float _zeroPoint = zeroPoint;
    private readonly float _lo = lo;
    private readonly float _hi = hi;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Invoke(float x) => AffineKernels.QuantizeOne(x, _scale, (int)_zeroPoint, (int)_lo, (int)_hi);
}
