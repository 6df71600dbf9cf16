using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 code of AffineDequantizeOperator, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
internal readonly partial struct AffineDequantizeOperator : IIntToFloatOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<int> q) => Vector512.ConvertToSingle(q - Vector512.Create(_zeroPoint)) * Vector512.Create(_scale);
}
