namespace Compression.Kernels;

/// <summary>How <see cref="BlockQuantizer4Bit"/> chooses each block's scale (and zero point).</summary>
public enum BlockScaleRule
{
    /// <summary>From the block's minimum and maximum, exactly as ONNX Runtime's MatMulNBits quantizer (MLAS).</summary>
    MinMax,

    /// <summary>
    /// Tries the min/max range shrunk by clip ratios 1.00, 0.98, ..., 0.62 (20 candidates) and keeps the one
    /// with the smallest mean squared error of the dequantized block (ties keep the larger ratio, so the result
    /// is never worse than <see cref="MinMax"/>). Clipping a few outliers buys finer steps for the rest.
    /// </summary>
    ClipSearch,
}
