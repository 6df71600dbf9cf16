namespace Compression.Kernels;

/// <summary>How <see cref="BlockQuantizer4Bit"/> chooses each block's scale (and zero point).</summary>
public enum BlockScaleRule
{
    /// <summary>From the block's minimum and maximum, exactly as ONNX Runtime's MatMulNBits quantizer (MLAS).</summary>
    MinMax,

    /// <summary>
    /// Searches each block for the scale (and zero point) with the smallest squared error of the dequantized
    /// block: the min/max range shrunk by clip ratios 1.00, 0.98, ..., 0.62; for symmetric blocks also the
    /// largest magnitude mapped to level +7 instead of -8 (same ratios); for asymmetric blocks the neighbouring
    /// zero points; then up to 3 least-squares refits of the scale for the chosen levels. A candidate replaces the
    /// current one only if strictly better, so the result is never worse than <see cref="MinMax"/>. About 40-60
    /// block evaluations, so roughly 20-40x slower than <see cref="MinMax"/>.
    /// </summary>
    ClipSearch,
}
