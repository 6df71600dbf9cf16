namespace Compression.Onnx;

/// <summary>How a quantization is applied: the <c>Mode</c> item metadata.</summary>
public enum QuantizationMode
{
    /// <summary>The default of the chosen <see cref="QuantizationType"/>: <see cref="Dynamic"/> for 8-bit,
    /// <see cref="WeightOnly"/> for 4-bit and the 16-bit floating point types.</summary>
    Default,

    /// <summary>Weights quantized offline, activations quantized at run time (integer MatMul/Conv).</summary>
    Dynamic,

    /// <summary>Only the stored weights change; they are expanded back to float before use.</summary>
    WeightOnly,

    /// <summary>Activations quantized with ranges measured on calibration data.</summary>
    Static,

    /// <summary>16-bit floating point only: the whole computation runs in 16 bits, float inputs and outputs kept.</summary>
    Full,
}
