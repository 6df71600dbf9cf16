using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 code of AffineQuantizeOperator, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
internal readonly partial struct AffineQuantizeOperator : IFloatToIntOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<int> Invoke(Vector512<float> x) =>
        AffineKernels.QuantizeStep(x, Vector512.Create(_scale), Vector512.Create(_zeroPoint), Vector512.Create(_lo), Vector512.Create(_hi));
}
