using Compression.Onnx.Graph;
using Compression.Onnx.Passes;
using Onnx;

namespace Compression.Onnx.Static;

/// <summary>The tensors a QDQ operator quantizes around its node: a constant weight and bias, and the float activations it reads.</summary>
internal sealed record QdqInputs(Weight? Weight, Weight? Bias, IReadOnlyList<string> Activations);

/// <summary>
/// Whether one operator type takes the QDQ form and around which tensors, as ONNX Runtime's QDQ selectors decide
/// (<c>operators/conv.py</c>, <c>matmul.py</c>, <c>binary_op.py</c>... in its quantization tool).
/// </summary>
internal interface IQdqOperator : IOpRewrite
{
    /// <summary>Whether a Relu/Clip(min 0) alone after the node is folded into its uint8 output range (ONNX Runtime fuses it).</summary>
    bool AbsorbsActivation { get; }

    /// <summary>The tensors to quantize around <paramref name="node"/>, or <see langword="null"/> when it stays in float.</summary>
    QdqInputs? Select(NodeProto node, ModelGraph model);
}

/// <summary>Conv and MatMul: a constant float32 weight read by this node only (rank 2 for MatMul, 3+ for Conv), a constant Conv bias, a computed input.</summary>
internal sealed class QdqWeightedOperator(string opType) : IQdqOperator
{
    public string OpType => opType;

    public bool AbsorbsActivation => true;

    public QdqInputs? Select(NodeProto node, ModelGraph model)
    {
        if (node.Input.Count < 2 || !model.Constants.TryGetValue(node.Input[1], out var weight) || !weight.IsFloat32 || weight.Readers.Count != 1
            || IsConstant(model, node.Input[0]))
        {
            return null;
        }

        int rank = weight.Dims.Count;
        if (opType == "MatMul" ? rank != 2 : rank < 3) return null;
        Weight? bias = null;
        if (opType == "Conv" && node.Input.Count > 2 && node.Input[2].Length > 0
            && (!model.Constants.TryGetValue(node.Input[2], out bias) || !bias.IsFloat32 || bias.Readers.Count != 1))
        {
            return null;
        }

        return new QdqInputs(weight, bias, [node.Input[0]]);
    }

    internal static bool IsConstant(ModelGraph model, string name) => name.Length == 0 || model.IsConstant(name);
}

/// <summary>Operators over activations only (Add, Mul, GlobalAveragePool, Sigmoid, LeakyRelu, Concat): every input computed, each quantized once.</summary>
internal sealed class QdqActivationsOperator(string opType, int minimumInputs, int maximumInputs, bool absorbsActivation) : IQdqOperator
{
    public string OpType => opType;

    public bool AbsorbsActivation => absorbsActivation;

    public QdqInputs? Select(NodeProto node, ModelGraph model)
    {
        // A unary operator looks at its first input only (LeakyRelu has one; GlobalAveragePool and Sigmoid too).
        var inputs = maximumInputs == 1 ? node.Input.Take(1).ToList() : node.Input.ToList();
        if (node.Input.Count < minimumInputs || (maximumInputs > 1 && node.Input.Count > maximumInputs) || inputs.Exists(i => QdqWeightedOperator.IsConstant(model, i)))
        {
            return null;
        }

        return new QdqInputs(null, null, [.. inputs.Distinct()]);
    }
}
