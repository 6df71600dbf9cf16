namespace Compression.Onnx;

/// <summary>How <c>Mode=Static</c> turns the activations seen on <c>CalibrationData</c> into a quantization range per tensor.</summary>
/// <remarks>The default, <see cref="Mse"/>, gave the smallest output error on the calibration set of the evidence model
/// (docs/reports/static.md).</remarks>
public enum CalibrationMethod
{
    /// <summary>The range (the full one shrunk by 1%..100%) that minimises the expected squared uint8 quantization error over the histogram (default).</summary>
    Mse,

    /// <summary>The smallest and largest value seen (ONNX Runtime's default): no clipping, coarsest steps when there are outliers.</summary>
    MinMax,

    /// <summary>Cuts 0.001% of the values (the 99.999 percentile, as ONNX Runtime), half on each side, from a histogram of all values.</summary>
    Percentile,

    /// <summary>The range whose 128-level quantized histogram has the smallest KL divergence from the full one (TensorRT's entropy calibration).</summary>
    Entropy,
}
