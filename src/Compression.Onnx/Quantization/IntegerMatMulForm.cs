namespace Compression.Onnx.Quantization;

/// <summary>How a dynamically quantized MatMul/Gemm is written.</summary>
internal enum IntegerMatMulForm
{
    /// <summary>Standard ONNX: <c>DynamicQuantizeLinear</c> + <c>MatMulInteger</c> + <c>Cast</c> + <c>Mul</c> (what ONNX Runtime's quantize_dynamic writes).</summary>
    Plain,

    /// <summary>One <c>com.microsoft</c> <c>DynamicQuantizeMatMul</c> node (ONNX Runtime only).</summary>
    Fused,
}
