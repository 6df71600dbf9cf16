using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 loop of MlasBlockLevels, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
public static partial class MlasBlockLevels
{
    /// <summary>Levels of whole vectors; returns how many values it did.</summary>
    private static int Levels512(ReadOnlySpan<float> values, float reciprocal, int zeroPoint, Span<float> levels)
    {
        var r = Vector512.Create(reciprocal);
        var z = Vector512.Create((float)zeroPoint);
        var half = Vector512.Create(0.5f);
        var one = Vector512<float>.One;
        var top = Vector512.Create(15f);
        ref float source = ref MemoryMarshal.GetReference(values);
        ref float destination = ref MemoryMarshal.GetReference(levels);
        int i = 0;
        for (; i <= values.Length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var v = (Vector512.LoadUnsafe(ref source, (nuint)i) * r) + z;
            var m = Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<float>.Zero), v, Vector512<float>.Zero);
            var t = Vector512.Truncate(m);
            var q = Vector512.Min(t + (Vector512.GreaterThanOrEqual(m - t, half) & one), top);
            Vector512.ConditionalSelect(Vector512.Equals(v, v), q, z).StoreUnsafe(ref destination, (nuint)i);
        }

        return i;
    }
}
