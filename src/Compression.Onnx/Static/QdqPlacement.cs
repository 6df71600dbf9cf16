using Compression.Onnx.Graph;
using Compression.Onnx.Passes;
using Onnx;

namespace Compression.Onnx.Static;

/// <summary>One node that ONNX Runtime's CPU provider will run as an integer kernel once its inputs and output are in QDQ form.</summary>
/// <param name="Node">The node.</param>
/// <param name="Weight">Its constant weight (Conv, MatMul), or null.</param>
/// <param name="Bias">Its constant bias (Conv), or null.</param>
/// <param name="Activations">The float activations it reads, quantized to uint8 in front of it.</param>
/// <param name="Output">Its output as quantized: the node's own, or that of the Relu/Clip folded into it.</param>
/// <param name="Absorbed">The Relu/Clip whose clamping the uint8 output range performs, removed from the graph; or null.</param>
internal sealed record StaticNode(NodeProto Node, Weight? Weight, Weight? Bias, IReadOnlyList<string> Activations, string Output, NodeProto? Absorbed);

/// <summary>
/// Chooses what <c>Mode=Static</c> quantizes, one <see cref="IQdqOperator"/> per operator type, following the node groups
/// ONNX Runtime's QDQ transformer fuses on CPU (<c>qdq_selector_action_transformer.cc</c>): DQ→Conv→Q becomes QLinearConv,
/// DQ→MatMul→Q QLinearMatMul, DQ,DQ→Add/Mul→Q QLinearAdd/QLinearMul, DQ→GlobalAveragePool/Sigmoid/LeakyRelu→Q their
/// QLinear contrib ops, DQ…→Concat→Q QLinearConcat. Only the main graph, float activations, constant weights and nodes
/// not excluded are taken; a Relu (or a Clip with lower bound 0) that is the only reader of such a node's output is
/// folded into the uint8 output range, as ONNX Runtime's quantizer does, so it costs neither a kernel nor a Q/DQ pair.
/// </summary>
internal static class QdqPlacement
{
    /// <summary>The operators placed by default.</summary>
    public static readonly OpRegistry<IQdqOperator> Operators = new(
    [
        new QdqWeightedOperator("Conv"), new QdqWeightedOperator("MatMul"),
        new QdqActivationsOperator("Add", minimumInputs: 2, maximumInputs: 2, absorbsActivation: true), new QdqActivationsOperator("Mul", 2, 2, absorbsActivation: false),
        new QdqActivationsOperator("GlobalAveragePool", 1, 1, absorbsActivation: false), new QdqActivationsOperator("Sigmoid", 1, 1, absorbsActivation: false),
        new QdqActivationsOperator("LeakyRelu", 1, 1, absorbsActivation: false), new QdqActivationsOperator("Concat", 2, int.MaxValue, absorbsActivation: false),
    ]);

    public static List<StaticNode> Build(ModelGraph model, CompressionSettings settings, OpRegistry<IQdqOperator>? operators = null)
    {
        operators ??= Operators;
        var plan = new List<StaticNode>();
        var absorbedBy = new HashSet<NodeProto>();
        foreach (var node in model.Main.Node)
        {
            if (node.Domain.Length != 0 || ModelGraph.IsExcluded(node, settings) || node.Output.Count < 1 || absorbedBy.Contains(node)) continue;
            if (operators.Find(node) is not { } op || op.Select(node, model) is not { } selected) continue;
            var absorbed = op.AbsorbsActivation ? AbsorbableActivation(model, node, settings) : null;
            if (absorbed is not null) absorbedBy.Add(absorbed);
            plan.Add(new StaticNode(node, selected.Weight, selected.Bias, selected.Activations, absorbed?.Output[0] ?? node.Output[0], absorbed));
        }

        return plan;
    }

    /// <summary>The Relu or Clip(min 0) that alone reads <paramref name="node"/>'s output, which uint8 with zero point 0 reproduces.</summary>
    private static NodeProto? AbsorbableActivation(ModelGraph model, NodeProto node, CompressionSettings settings)
    {
        var uses = model.UsesOf(node.Output[0]);
        if (model.IsGraphOutput(node.Output[0]) || uses.Count != 1)
        {
            return null;
        }

        var reader = uses[0].Node!;
        if (reader.Domain.Length != 0 || ModelGraph.IsExcluded(reader, settings) || uses[0].InputIndex != 0) return null;
        if (reader.OpType == "Relu") return reader;
        if (reader.OpType != "Clip") return null;

        // Opset < 11 keeps the bounds in attributes; later opsets in optional constant inputs.
        float min = reader.GetFloat("min", float.MinValue);
        if (reader.Input.Count > 1 && reader.Input[1].Length > 0)
        {
            if (!model.Constants.TryGetValue(reader.Input[1], out var lower) || lower.ElementCount != 1) return null;
            min = lower.ReadFloats()[0];
        }

        return min == 0 ? reader : null;
    }
}
