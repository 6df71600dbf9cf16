using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 loop of MagnitudeBand, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
public static partial class MagnitudeBand
{
    /// <summary>Scans whole vectors and returns how many elements it read.</summary>
    private static int Scan512(ReadOnlySpan<float> values, uint low, uint high, List<float> inside, ref long below)
    {
        ref uint start = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<float, uint>(values));
        var mask = Vector512.Create(0x7FFFFFFFu);
        var lowV = Vector512.Create(low);
        var highV = Vector512.Create(high);
        int i = 0;
        for (; i <= values.Length - Vector512<uint>.Count; i += Vector512<uint>.Count)
        {
            var keys = Vector512.LoadUnsafe(ref start, (nuint)i) & mask;
            ulong less = Vector512.LessThan(keys, lowV).ExtractMostSignificantBits();
            below += BitOperations.PopCount(less);

            // Both masks have one bit a lane and nothing above, so ~less needs no trimming.
            ulong band = ~less & Vector512.LessThanOrEqual(keys, highV).ExtractMostSignificantBits();
            while (band != 0)
            {
                inside.Add(values[i + BitOperations.TrailingZeroCount(band)]);
                band &= band - 1;
            }
        }

        return i;
    }
}
