using Compression.Onnx.Graph;
using Compression.Onnx.Passes;
using Onnx;

namespace Compression.Onnx.Quantization.Integer;

/// <summary>
/// The dynamic integer form of one operator, registered in <see cref="DynamicIntegerOps"/> (ONNX Runtime's
/// <c>operators/matmul.py</c>, <c>conv.py</c>): whether a node can read its weight as integers, how that weight is
/// stored, and the nodes that replace it.
/// </summary>
internal interface IIntegerOpRewrite : IOpRewrite
{
    /// <summary>
    /// Whether <paramref name="node"/> (which reads <paramref name="weight"/> as input 1 and passed the common checks) can
    /// run as an integer op; every reader of a weight must accept it.
    /// </summary>
    bool Accepts(NodeProto node, Weight weight, DynamicQuantization run);

    /// <summary>The weight as this operator stores it (layout, axis, signedness), from its finite float values.</summary>
    QuantizedWeight Quantize(float[] values, Weight weight, DynamicQuantization run);

    /// <summary>Replaces <paramref name="node"/> by its integer form; the weight is stored once through <see cref="DynamicQuantization.Store"/>.</summary>
    void Rewrite(NodeProto node, GraphProto graph, Weight weight, DynamicQuantization run);
}
