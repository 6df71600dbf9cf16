using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 loop of FiniteValues, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
public static partial class FiniteValues
{
    /// <summary>Checks whole vectors: the count checked, or -1 when one of them is not finite.</summary>
    private static int All512(ReadOnlySpan<float> values)
    {
        // x - x is 0 for finite x and NaN for NaN or infinity, and NaN sticks in the sum.
        ref float start = ref MemoryMarshal.GetReference(values);
        var all = Vector512<float>.Zero;
        int i = 0;
        for (; i <= values.Length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var v = Vector512.LoadUnsafe(ref start, (nuint)i);
            all += v - v;
        }

        return Vector512.EqualsAll(all, Vector512<float>.Zero) ? i : -1;
    }
}
