using Compression.Kernels;

namespace Compression.Onnx.FourBit;

/// <summary>
/// One contiguous block of 4-bit weights in ONNX Runtime's <c>MatMulNBits</c> conventions (MLAS
/// <c>MlasQuantizeBlockwise</c>): the same scale, zero point and rounding as
/// <see cref="Compression.Kernels.BlockQuantizer4Bit.QuantizeMatMulNBits"/>, plus a clip-ratio search whose
/// error evaluation is vectorised.
/// </summary>
/// <remarks>
/// A search of its own rather than the kernel's because the kernel's search runs 40 scalar passes a block
/// (20 candidate ranges, each re-scanning the block and measuring its error), which is ~10x the time of
/// load + save on a 400 MB model. Here the block's range is scanned once (a ratio scales min and max
/// linearly) and candidate errors are measured by the kernel <see cref="MlasBlockLevels"/> on 8 lanes.
/// </remarks>
internal static class NibbleBlocks
{
    /// <summary>Clip ratios tried: 1.00 down to 0.62 in steps of 0.02 (as the kernel's <c>ClipSearch</c>).</summary>
    internal const int ClipCandidates = 20;

    /// <summary>
    /// Quantizes one block (<paramref name="values"/>, at most <c>target.Length * 2</c> values) into
    /// <paramref name="target"/> (low nibble first). Padding nibbles past the values get the zero point, so
    /// they dequantize to exactly 0. <paramref name="scratch"/> holds at least the block size rounded up to 8.
    /// </summary>
    /// <returns>The block's scale and zero point.</returns>
    public static (float Scale, int ZeroPoint) Quantize(ReadOnlySpan<float> values, bool symmetric, bool search, Span<float> scratch, Span<byte> target)
    {
        (float min, float max) = MlasBlockRule.Range(values);
        var best = MlasBlockRule.ScaleAndZeroPoint(min, max, symmetric);
        if (search)
        {
            best = Search(values, min, max, symmetric, best, scratch);
        }

        float reciprocal = best.Scale != 0f ? 1f / best.Scale : 0f;
        int zeroPoint = best.ZeroPoint;
        Span<float> levels = scratch[..values.Length];
        Levels(values, reciprocal, zeroPoint, levels);
        int pairs = values.Length >> 1;
        for (int p = 0; p < pairs; p++)
        {
            target[p] = (byte)((int)levels[2 * p] | ((int)levels[(2 * p) + 1] << 4));
        }

        // An odd tail pairs with a padding nibble; the padding dequantizes to exactly 0.
        int next = pairs;
        if ((values.Length & 1) == 1)
        {
            target[next++] = (byte)((int)levels[^1] | (zeroPoint << 4));
        }

        target[next..].Fill((byte)(zeroPoint | (zeroPoint << 4)));
        return best;
    }

    /// <summary>Every value's level (<see cref="MlasBlockLevels.Levels"/>).</summary>
    internal static void Levels(ReadOnlySpan<float> values, float reciprocal, int zeroPoint, Span<float> levels) =>
        MlasBlockLevels.Levels(values, reciprocal, zeroPoint, levels);

    /// <summary>
    /// The kernel's <c>ClipSearch</c> candidates (clip ratios 1.00..0.62; symmetric: the extreme mapped to +7 too;
    /// asymmetric: the neighbouring zero points; then up to 3 least-squares scale refits), the ratio grids searched
    /// coarse to fine, each candidate replacing the current best only when strictly better, so the result is never
    /// worse than round-to-nearest.
    /// </summary>
    private static (float Scale, int ZeroPoint) Search(ReadOnlySpan<float> values, float min, float max, bool symmetric, (float Scale, int ZeroPoint) full, Span<float> scratch)
    {
        // Zero padding adds no error: 0 quantizes to the (integer) zero point exactly. NaN counts as 0 too (it
        // quantizes to the zero point), so every candidate sees the same finite data.
        int padded = (values.Length + 7) & ~7;
        Span<float> block = scratch[..padded];
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            block[i] = float.IsNaN(v) ? 0f : v;
        }

        block[values.Length..].Clear();
        var best = full;
        float bestError = Error(block, full.Scale, full.ZeroPoint);
        // Coarse to fine: every other ratio first, then the two neighbours of the best one. The block error is
        // nearly unimodal in the ratio, so this finds the kernel's choice (or one as good) with 11 evaluations, not 19.
        int chosen = 0;
        for (int c = 2; c < ClipCandidates && bestError > 0f; c += 2)
        {
            if (Consider(block, Clipped(min, max, c, symmetric), ref best, ref bestError))
            {
                chosen = c;
            }
        }

        foreach (int c in (ReadOnlySpan<int>)[chosen - 1, chosen + 1])
        {
            if (c >= 1 && c < ClipCandidates && bestError > 0f)
            {
                Consider(block, Clipped(min, max, c, symmetric), ref best, ref bestError);
            }
        }

        if (symmetric && bestError > 0f)
        {
            // MLAS maps the largest magnitude to level -8; mapping it to +7 instead (an 8/7 coarser step, nothing
            // clipped on the other side) is sometimes better. Same ratios, same coarse-to-fine order.
            float m = best.Scale * -8f;
            int plusSeven = -1;
            for (int c = 0; c < ClipCandidates && bestError > 0f; c += 2)
            {
                if (Consider(block, ((1f - (0.02f * c)) * m / 7f, 8), ref best, ref bestError))
                {
                    plusSeven = c;
                }
            }

            if (plusSeven >= 0)
            {
                foreach (int c in (ReadOnlySpan<int>)[plusSeven - 1, plusSeven + 1])
                {
                    if (c >= 0 && c < ClipCandidates && bestError > 0f)
                    {
                        Consider(block, ((1f - (0.02f * c)) * m / 7f, 8), ref best, ref bestError);
                    }
                }
            }
        }
        else
        {
            // The neighbouring zero points, each with the scale refitted for it.
            int center = best.ZeroPoint;
            foreach (int zp in (ReadOnlySpan<int>)[center - 1, center + 1])
            {
                if (zp is >= 0 and <= 15)
                {
                    Consider(block, (RefitScale(block, best.Scale, zp), zp), ref best, ref bestError);
                }
            }
        }

        // Least-squares refits of the scale for the chosen levels, each kept only if it lowers the error.
        for (int step = 0; step < RefitSteps && bestError > 0f; step++)
        {
            if (!Consider(block, (RefitScale(block, best.Scale, best.ZeroPoint), best.ZeroPoint), ref best, ref bestError))
            {
                break;
            }
        }

        return best;
    }

    /// <summary>The MLAS parameters of the block's range shrunk by ratio <c>1 - 0.02 * candidate</c>.</summary>
    private static (float Scale, int ZeroPoint) Clipped(float min, float max, int candidate, bool symmetric)
    {
        float ratio = 1f - (0.02f * candidate);
        return MlasBlockRule.ScaleAndZeroPoint(min * ratio, max * ratio, symmetric);
    }

    /// <summary>Least-squares scale refits tried after the grid (as the kernel's <c>ClipSearch</c>).</summary>
    private const int RefitSteps = 3;

    /// <summary>Takes <paramref name="candidate"/> when its error is strictly lower.</summary>
    private static bool Consider(ReadOnlySpan<float> block, (float Scale, int ZeroPoint) candidate, ref (float Scale, int ZeroPoint) best, ref float bestError)
    {
        if (!float.IsFinite(candidate.Scale) || candidate.Scale == 0f)
        {
            return false;
        }

        float error = Error(block, candidate.Scale, candidate.ZeroPoint);
        if (!(error < bestError))
        {
            return false;
        }

        best = candidate;
        bestError = error;
        return true;
    }

    /// <summary>The least-squares scale for the levels <paramref name="scale"/> gives (<see cref="MlasBlockLevels.RefitScale"/>).</summary>
    private static float RefitScale(ReadOnlySpan<float> block, float scale, int zeroPoint) =>
        MlasBlockLevels.RefitScale(block, scale, zeroPoint);

    /// <summary>Sum of squared dequantization errors of a block whose length is a multiple of 8 (<see cref="MlasBlockLevels.SquaredError"/>).</summary>
    internal static float Error(ReadOnlySpan<float> block, float scale, int zeroPoint) =>
        MlasBlockLevels.SquaredError(block, scale, zeroPoint);
}
