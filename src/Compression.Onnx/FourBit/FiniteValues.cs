using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Onnx.FourBit;

/// <summary>Whether a weight has only finite values (a NaN or infinity would poison its block's scale).</summary>
internal static class FiniteValues
{
    public static bool All(ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<float>.Count)
        {
            // x - x is 0 for finite x and NaN for NaN or infinity; NaN != NaN.
            ref float start = ref MemoryMarshal.GetReference(values);
            var all = Vector256<float>.Zero;
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                all += v - v;
            }

            if (!Vector256.EqualsAll(all, Vector256<float>.Zero))
            {
                return false;
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }
}
