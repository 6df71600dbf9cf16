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
        var graph = constant.Graph;
        var inserted = new List<NodeProto>();
        int at;
        if (constant.ConstantNode is { } constantNode)
        {
            at = graph.Node.IndexOf(constantNode);
            graph.Node.RemoveAt(at);
            foreach (var t in tensors) inserted.Add(OnnxBuilders.ConstantNode(t, index.UniqueName(t.Name + "_const")));
        }
        else
        {
            at = 0;
            graph.Initializer.Remove(constant.Tensor);
            RemoveGraphInput(graph, constant.Name);
            if (index.Model.IrVersion >= 4)
            {
                graph.Initializer.AddRange(tensors);
            }
            else
            {
                // Before IR 4 every initializer must also be a graph input; Constant nodes keep the signature unchanged.
                foreach (var t in tensors) inserted.Add(OnnxBuilders.ConstantNode(t, index.UniqueName(t.Name + "_const")));
            }
        }

        inserted.AddRange(nodes);
        for (int i = 0; i < inserted.Count; i++) graph.Node.Insert(at + i, inserted[i]);
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
