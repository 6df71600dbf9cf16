using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

public static partial class MlasBlockLevels
{
    /// <summary>
    /// The two block reductions on exactly eight float lanes. They decide which candidate scale wins, so their
    /// rounding is part of the result: a wider vector would sum in another order and could pick another scale.
    /// </summary>
    private static class EightLanes
    {
        public static float SquaredError(ReadOnlySpan<float> block, float reciprocal, float scale, int zeroPoint)
        {
            var r = Vector256.Create(reciprocal);
            var z = Vector256.Create((float)zeroPoint);
            var s = Vector256.Create(scale);
            var half = Vector256.Create(0.5f);
            var top = Vector256.Create(15f);
            var sum = Vector256<float>.Zero;
            ref float start = ref MemoryMarshal.GetReference(block);
            for (int i = 0; i < block.Length; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);

                // Negative values clamp to 0 either way, so round-half-away is floor(v + 0.5) on the clamped value.
                var q = Vector256.Min(Vector256.Floor(Vector256.Max((v * r) + z, Vector256<float>.Zero) + half), top);
                var d = ((q - z) * s) - v;
                sum += d * d;
            }

            return Vector256.Sum(sum);
        }

        public static (double Numerator, double Denominator) RefitSums(ReadOnlySpan<float> block, float reciprocal, int zeroPoint)
        {
            // The levels as SquaredError computes them; a refit only proposes a candidate, which SquaredError judges.
            var r = Vector256.Create(reciprocal);
            var z = Vector256.Create((float)zeroPoint);
            var half = Vector256.Create(0.5f);
            var top = Vector256.Create(15f);
            var xl = Vector256<float>.Zero;
            var ll = Vector256<float>.Zero;
            ref float start = ref MemoryMarshal.GetReference(block);
            for (int i = 0; i < block.Length; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                var level = Vector256.Min(Vector256.Floor(Vector256.Max((v * r) + z, Vector256<float>.Zero) + half), top) - z;
                xl += v * level;
                ll += level * level;
            }

            return (Vector256.Sum(xl), Vector256.Sum(ll));
        }
    }
}
