using Compression.Onnx.Quantization;
using Onnx;

namespace Compression.Onnx.Static;

/// <summary>One node that ONNX Runtime's CPU provider will run as an integer kernel once its inputs and output are in QDQ form.</summary>
/// <param name="Node">The node.</param>
/// <param name="Weight">Its constant weight (Conv, MatMul), or null.</param>
/// <param name="Bias">Its constant bias (Conv), or null.</param>
/// <param name="Activations">The float activations it reads, quantized to uint8 in front of it.</param>
/// <param name="Output">Its output as quantized: the node's own, or that of the Relu/Clip folded into it.</param>
/// <param name="Absorbed">The Relu/Clip whose clamping the uint8 output range performs, removed from the graph; or null.</param>
internal sealed record StaticNode(NodeProto Node, ConstantTensor? Weight, ConstantTensor? Bias, IReadOnlyList<string> Activations, string Output, NodeProto? Absorbed);

/// <summary>
/// Chooses what <c>Mode=Static</c> quantizes, following the node groups ONNX Runtime's QDQ transformer fuses on CPU
/// (<c>qdq_selector_action_transformer.cc</c>): DQ→Conv→Q becomes QLinearConv, DQ→MatMul→Q QLinearMatMul, DQ,DQ→Add/Mul→Q
/// QLinearAdd/QLinearMul, DQ→GlobalAveragePool/Sigmoid/LeakyRelu→Q their QLinear contrib ops, DQ…→Concat→Q QLinearConcat.
/// Only the main graph, float activations, constant weights and nodes not excluded are taken; a Relu (or a Clip with
/// lower bound 0) that is the only reader of such a node's output is folded into the uint8 output range, as ONNX
/// Runtime's quantizer does, so it costs neither a kernel nor a Q/DQ pair.
/// </summary>
internal static class StaticPlan
{
    private static readonly HashSet<string> Unary = new(StringComparer.Ordinal) { "GlobalAveragePool", "Sigmoid", "LeakyRelu" };
    private static readonly HashSet<string> Binary = new(StringComparer.Ordinal) { "Add", "Mul" };

    public static List<StaticNode> Build(ModelGraphIndex index, CompressionSettings settings)
    {
        var graph = index.Model.Graph;
        var plan = new List<StaticNode>();
        var absorbedBy = new HashSet<NodeProto>();
        foreach (var node in graph.Node)
        {
            if (node.Domain.Length != 0 || ModelGraphIndex.IsExcluded(node, settings) || node.Output.Count < 1 || absorbedBy.Contains(node)) continue;
            ConstantTensor? weight = null, bias = null;
            List<string> activations;
            switch (node.OpType)
            {
                case "Conv" or "MatMul":
                    if (node.Input.Count < 2 || !index.Constants.TryGetValue(node.Input[1], out weight) || !weight.IsFloat32 || weight.Uses.Count != 1
                        || IsConstant(index, node.Input[0]))
                    {
                        continue;
                    }

                    int rank = weight.Tensor.Dims.Count;
                    if (node.OpType == "MatMul" ? rank != 2 : rank < 3) continue;
                    if (node.OpType == "Conv" && node.Input.Count > 2 && node.Input[2].Length > 0
                        && (!index.Constants.TryGetValue(node.Input[2], out bias) || !bias.IsFloat32 || bias.Uses.Count != 1))
                    {
                        continue;
                    }

                    activations = [node.Input[0]];
                    break;
                case var op when Binary.Contains(op):
                    if (node.Input.Count != 2 || node.Input.Any(i => IsConstant(index, i))) continue;
                    activations = [.. node.Input.Distinct()];
                    break;
                case var op when Unary.Contains(op):
                    if (node.Input.Count < 1 || IsConstant(index, node.Input[0])) continue;
                    activations = [node.Input[0]];
                    break;
                case "Concat":
                    if (node.Input.Count < 2 || node.Input.Any(i => IsConstant(index, i))) continue;
                    activations = [.. node.Input.Distinct()];
                    break;
                default:
                    continue;
            }

            var absorbed = AbsorbableActivation(index, node, settings);
            if (absorbed is not null) absorbedBy.Add(absorbed);
            plan.Add(new StaticNode(node, weight, bias, activations, absorbed?.Output[0] ?? node.Output[0], absorbed));
        }

        return plan;
    }

    /// <summary>The Relu or Clip(min 0) that alone reads <paramref name="node"/>'s output, which uint8 with zero point 0 reproduces.</summary>
    private static NodeProto? AbsorbableActivation(ModelGraphIndex index, NodeProto node, CompressionSettings settings)
    {
        if (node.OpType is not ("Conv" or "MatMul" or "Add") || index.GraphOutputs.Contains(node.Output[0])
            || !index.Uses.TryGetValue(node.Output[0], out var uses) || uses.Count != 1)
        {
            return null;
        }

        var reader = uses[0].Node;
        if (reader.Domain.Length != 0 || ModelGraphIndex.IsExcluded(reader, settings) || uses[0].InputIndex != 0) return null;
        if (reader.OpType == "Relu") return reader;
        if (reader.OpType != "Clip") return null;

        // Opset < 11 keeps the bounds in attributes; later opsets in optional constant inputs.
        float min = reader.GetFloat("min", float.MinValue);
        if (reader.Input.Count > 1 && reader.Input[1].Length > 0)
        {
            if (!index.Constants.TryGetValue(reader.Input[1], out var lower) || lower.ElementCount != 1) return null;
            min = lower.ReadFloats()[0];
        }

        return min == 0 ? reader : null;
    }

    private static bool IsConstant(ModelGraphIndex index, string name) => name.Length == 0 || index.Constants.ContainsKey(name);
}
