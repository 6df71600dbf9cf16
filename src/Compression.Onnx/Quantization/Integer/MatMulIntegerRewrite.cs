using Compression.Onnx.Graph;
using Onnx;

namespace Compression.Onnx.Quantization.Integer;

/// <summary>
/// <c>MatMul</c> with a constant 2-D B: <c>DynamicQuantizeMatMul</c> (any opset) or <c>DynamicQuantizeLinear</c> +
/// <c>MatMulInteger</c> + rescale (opset 11); B per output column, 7-bit when signed and portable.
/// </summary>
internal sealed class MatMulIntegerRewrite : IIntegerOpRewrite
{
    public string OpType => "MatMul";

    public bool Accepts(NodeProto node, Weight weight, DynamicQuantization run) =>
        weight.Dims.Count == 2 && (run.Settings.MatMulForm == IntegerMatMulForm.Fused || run.Model.Opset >= 11);

    public QuantizedWeight Quantize(float[] values, Weight weight, DynamicQuantization run) =>
        QuantizedWeight.Quantize(values, [.. weight.Dims], run.Settings.PerChannel ? 1 : null, run.Signed, run.Symmetric, run.ReduceRange);

    public void Rewrite(NodeProto node, GraphProto graph, Weight weight, DynamicQuantization run)
    {
        var stored = run.Store(weight);
        var nodes = new List<NodeProto>();
        run.EmitProduct(node, graph, node.Input[0], stored, stored.Scale, bias: null, nodes);
        run.ReplaceNode(graph, node, nodes);
    }
}
