using Onnx;

namespace Compression.Onnx.Quantization;

/// <summary>
/// Replaces a constant tensor by new stored tensors plus nodes that rebuild a value of the same name, so every
/// reader (in any subgraph) keeps working untouched and a shared weight is stored once.
/// </summary>
internal static class ConstantRewriter
{
    /// <summary>Stores <paramref name="tensors"/> where <paramref name="constant"/> lived and inserts <paramref name="nodes"/>
    /// (which must produce <see cref="ConstantTensor.Name"/>) at the same place.</summary>
    public static void Replace(ModelGraphIndex index, ConstantTensor constant, IReadOnlyList<TensorProto> tensors, IReadOnlyList<NodeProto> nodes)
    {
        if (constant.ConstantNode is null && index.Model.IrVersion < 4)
        {
            // Before IR 4 every initializer must also be a graph input (onnx.checker enforces it); new tensors go into
            // Constant nodes instead, so the weight leaves the inputs and nothing new joins them.
            var all = new List<NodeProto>(tensors.Count + nodes.Count);
            foreach (var t in tensors) all.Add(OnnxBuilders.ConstantNode(t, index.UniqueName(t.Name + "_const")));
            all.AddRange(nodes);
            constant.Weight.ReplaceWith([], all);
            return;
        }

        constant.Weight.ReplaceWith(tensors, nodes);
    }

    /// <summary>
    /// Replaces the weight by <paramref name="tensors"/> stored where it was (initializers, or Constant nodes at the
    /// weight's own position) for nodes that will be inserted later: no reader exists yet to order them by.
    /// </summary>
    public static void ReplaceStorage(ModelGraphIndex index, ConstantTensor constant, IReadOnlyList<TensorProto> tensors)
    {
        var graph = constant.Graph;
        if (constant.ConstantNode is { } node)
        {
            int at = graph.Node.IndexOf(node);
            graph.Node.RemoveAt(at);
            for (int i = 0; i < tensors.Count; i++) graph.Node.Insert(at + i, OnnxBuilders.ConstantNode(tensors[i], index.UniqueName(tensors[i].Name + "_const")));
            return;
        }

        if (index.Model.IrVersion < 4)
        {
            constant.Weight.ReplaceWith([], []);
            for (int i = 0; i < tensors.Count; i++) graph.Node.Insert(i, OnnxBuilders.ConstantNode(tensors[i], index.UniqueName(tensors[i].Name + "_const")));
            return;
        }

        constant.Weight.ReplaceWith(tensors, []);
    }

    /// <summary>Adds a stored tensor to the graph <paramref name="graph"/> at the start (initializer or Constant node).</summary>
    public static void AddTensor(ModelGraphIndex index, GraphProto graph, TensorProto tensor, NodeProto? before)
    {
        if (index.Model.IrVersion >= 4 && ReferenceEquals(graph, index.Model.Graph))
        {
            graph.Initializer.Add(tensor);
            return;
        }

        var node = OnnxBuilders.ConstantNode(tensor, index.UniqueName(tensor.Name + "_const"));
        int at = before is null ? 0 : graph.Node.IndexOf(before);
        graph.Node.Insert(at, node);
    }

    /// <summary>Removes a constant nobody reads any more.</summary>
    public static void Remove(ConstantTensor constant)
    {
        if (constant.ConstantNode is { } node)
        {
            constant.Graph.Node.Remove(node);
        }
        else
        {
            constant.Graph.Initializer.Remove(constant.Tensor);
            RemoveGraphInput(constant.Graph, constant.Name);
        }
    }

    private static void RemoveGraphInput(GraphProto graph, string name)
    {
        for (int i = 0; i < graph.Input.Count; i++)
        {
            if (graph.Input[i].Name == name)
            {
                graph.Input.RemoveAt(i);
                return;
            }
        }
    }
}
