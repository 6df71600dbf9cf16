namespace Compression.Kernels;

/// <summary>
/// The vector loops of a 4-bit block search (ONNX Runtime <c>MatMulNBits</c> conventions, <see cref="MlasBlockRule"/>):
/// every value's level, a candidate's squared error and its least-squares scale refit.
/// </summary>
/// <remarks>
/// <see cref="Levels(ReadOnlySpan{float}, float, int, Span{float})"/> is elementwise and exact on every width. The
/// two reductions are defined on eight float lanes (element <c>i</c> goes to lane <c>i % 8</c>, lanes summed by
/// <c>Vector256.Sum</c>), so a machine with 512-bit vectors chooses the same candidates as one with 256-bit vectors;
/// without 256-bit vectors they run the scalar reference, whose float sums may differ in the last bits.
/// </remarks>
public static partial class MlasBlockLevels
{
    /// <summary>
    /// <see cref="MlasBlockRule.QuantizeLevel"/> for every value: the same two float roundings (<c>x * reciprocal</c>,
    /// then <c>+ zp</c>), and round-half-away-from-zero done exactly as truncation plus one when the fraction is at
    /// least one half (negative values clamp to 0 either way); NaN goes to the zero point.
    /// </summary>
    public static void Levels(ReadOnlySpan<float> values, float reciprocal, int zeroPoint, Span<float> levels) =>
        Levels(values, reciprocal, zeroPoint, levels, KernelIsaSelector.Best);

    /// <summary>Sum of squared dequantization errors of a block whose length is a multiple of 8 (NaN already replaced).</summary>
    public static float SquaredError(ReadOnlySpan<float> block, float scale, int zeroPoint) =>
        SquaredError(block, scale, zeroPoint, KernelIsaSelector.Best);

    /// <summary>
    /// The scale minimising the squared error for the levels <paramref name="scale"/> gives, <c>sum x (q - z) / sum (q - z)^2</c>,
    /// over a block whose length is a multiple of 8; 0 when every level is the zero point.
    /// </summary>
    public static float RefitScale(ReadOnlySpan<float> block, float scale, int zeroPoint) =>
        RefitScale(block, scale, zeroPoint, KernelIsaSelector.Best);

    internal static void Levels(ReadOnlySpan<float> values, float reciprocal, int zeroPoint, Span<float> levels, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => Levels512(values, reciprocal, zeroPoint, levels),
            KernelIsa.Vector256 => Levels256(values, reciprocal, zeroPoint, levels),
            KernelIsa.Vector128 => Levels128(values, reciprocal, zeroPoint, levels),
            _ => 0,
        };
        for (int i = done; i < values.Length; i++)
        {
            levels[i] = MlasBlockRule.QuantizeLevel(values[i], reciprocal, zeroPoint);
        }
    }

    internal static float SquaredError(ReadOnlySpan<float> block, float scale, int zeroPoint, KernelIsa isa)
    {
        float reciprocal = scale != 0f ? 1f / scale : 0f;
        if (isa is KernelIsa.Vector256 or KernelIsa.Vector512)
        {
            return EightLanes.SquaredError(block, reciprocal, scale, zeroPoint);
        }

        float total = 0f;
        foreach (float v in block)
        {
            float d = ((MlasBlockRule.QuantizeLevel(v, reciprocal, zeroPoint) - zeroPoint) * scale) - v;
            total += d * d;
        }

        return total;
    }

    internal static float RefitScale(ReadOnlySpan<float> block, float scale, int zeroPoint, KernelIsa isa)
    {
        float reciprocal = scale != 0f ? 1f / scale : 0f;
        double numerator = 0, denominator = 0;
        if (isa is KernelIsa.Vector256 or KernelIsa.Vector512)
        {
            (numerator, denominator) = EightLanes.RefitSums(block, reciprocal, zeroPoint);
        }
        else
        {
            foreach (float v in block)
            {
                int level = MlasBlockRule.QuantizeLevel(v, reciprocal, zeroPoint) - zeroPoint;
                numerator += (double)v * level;
                denominator += (double)level * level;
            }
        }

        return denominator > 0 ? (float)(numerator / denominator) : 0f;
    }
}
