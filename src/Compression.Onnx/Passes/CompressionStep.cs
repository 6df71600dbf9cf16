namespace Compression.Onnx.Passes;

/// <summary>The stages of the pipeline, in the order they run. Each requested stage needs a pass that supports the settings.</summary>
internal enum CompressionStep
{
    /// <summary>Opset conversion (<see cref="CompressionSettings.TargetOpset"/>).</summary>
    ConvertOpset,

    /// <summary>Magnitude pruning (<see cref="CompressionSettings.Sparsity"/>).</summary>
    Prune,

    /// <summary>Quantization or 16-bit conversion (<see cref="CompressionSettings.Quantize"/>).</summary>
    Quantize,

    /// <summary>Offline graph optimisation (<see cref="CompressionSettings.Optimize"/>).</summary>
    Optimize,

    /// <summary>Output format other than ONNX (<see cref="CompressionSettings.Format"/>).</summary>
    WriteFormat,
}
