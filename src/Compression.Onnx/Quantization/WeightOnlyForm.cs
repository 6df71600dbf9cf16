namespace Compression.Onnx.Quantization;

/// <summary>How a weight-only 8-bit weight is expanded back to float (<see cref="DequantizeEmitter"/>).</summary>
internal enum WeightOnlyForm
{
    /// <summary>
    /// <c>Cast</c> + <c>Mul</c> (and <c>Sub</c> of a zero point) at every opset from 7: ONNX Runtime constant-folds it at
    /// load, so inference runs at float speed. It does not fold <c>DequantizeLinear</c> (it keeps QDQ pairs for fusion),
    /// which then dequantizes every weight on every run: measured 2.6x (MLP) to 13x (transformer block) slower than
    /// float32 (docs/reports/passes.md). The default.
    /// </summary>
    Foldable,

    /// <summary><c>DequantizeLinear</c> (with <c>axis</c> from opset 13, per tensor from opset 10) where the opset allows, for runtimes that fuse QDQ.</summary>
    DequantizeLinear,
}
