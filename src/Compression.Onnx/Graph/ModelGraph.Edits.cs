using Onnx;

namespace Compression.Onnx.Graph;

internal sealed partial class ModelGraph
{
    /// <summary>
    /// Replaces <paramref name="weight"/> by new stored tensors plus nodes that rebuild a value of the same name, so every
    /// reader (in any subgraph) keeps working untouched and a shared weight is stored once. Before IR 4 every initializer
    /// must also be a graph input (onnx.checker enforces it): there the new tensors go into Constant nodes, so the weight
    /// leaves the inputs and nothing new joins them.
    /// </summary>
    /// <param name="weight">A weight of this model.</param>
    /// <param name="tensors">The tensors to store (named with <see cref="UniqueName"/>).</param>
    /// <param name="nodes">Nodes that compute <see cref="Weight.Name"/> from them, in execution order.</param>
    public void ReplaceWeight(Weight weight, IReadOnlyList<TensorProto> tensors, IReadOnlyList<NodeProto> nodes)
    {
        if (weight.ConstantNode is null && IrVersion < 4)
        {
            var all = new List<NodeProto>(tensors.Count + nodes.Count);
            foreach (TensorProto tensor in tensors)
            {
                all.Add(NodeBuilder.Constant(tensor, UniqueName(tensor.Name + "_const")));
            }

            all.AddRange(nodes);
            weight.ReplaceWith([], all);
            return;
        }

        weight.ReplaceWith(tensors, nodes);
    }

    /// <summary>
    /// Replaces <paramref name="weight"/> by <paramref name="tensors"/> stored where it was (initializers, or Constant
    /// nodes at the weight's own position) for nodes the caller inserts later: no reader exists yet to order them by.
    /// </summary>
    /// <param name="weight">A weight of this model.</param>
    /// <param name="tensors">The tensors to store.</param>
    public void ReplaceWeightStorage(Weight weight, IReadOnlyList<TensorProto> tensors)
    {
        GraphProto graph = weight.Graph;
        if (weight.ConstantNode is { } node)
        {
            int at = GraphEditing.IndexOf(graph, node, FilePath);
            graph.Node.RemoveAt(at);
            for (int i = 0; i < tensors.Count; i++)
            {
                graph.Node.Insert(at + i, NodeBuilder.Constant(tensors[i], UniqueName(tensors[i].Name + "_const")));
            }

            return;
        }

        if (IrVersion < 4)
        {
            weight.ReplaceWith([], []);
            for (int i = 0; i < tensors.Count; i++)
            {
                graph.Node.Insert(i, NodeBuilder.Constant(tensors[i], UniqueName(tensors[i].Name + "_const")));
            }

            return;
        }

        weight.ReplaceWith(tensors, []);
    }

    /// <summary>
    /// Stores a new tensor in <paramref name="graph"/>: an initializer of the main graph from IR 4, otherwise a Constant
    /// node placed before <paramref name="before"/> (or first).
    /// </summary>
    /// <param name="graph">The graph whose nodes read the tensor.</param>
    /// <param name="tensor">The tensor, named with <see cref="UniqueName"/>.</param>
    /// <param name="before">The first node that reads it, or <see langword="null"/>.</param>
    public void AddTensor(GraphProto graph, TensorProto tensor, NodeProto? before)
    {
        if (IrVersion >= 4 && ReferenceEquals(graph, Main))
        {
            graph.Initializer.Add(tensor);
            return;
        }

        var node = NodeBuilder.Constant(tensor, UniqueName(tensor.Name + "_const"));
        int at = before is null ? 0 : graph.Node.IndexOf(before);
        graph.Node.Insert(at, node);
    }

    /// <summary>Removes a weight nobody reads any more (its Constant node, or its initializer and graph input).</summary>
    /// <param name="weight">The weight.</param>
    public static void RemoveWeight(Weight weight)
    {
        if (weight.ConstantNode is { } node)
        {
            weight.Graph.Node.Remove(node);
        }
        else
        {
            weight.Graph.Initializer.Remove(weight.Tensor);
            GraphEditing.RemoveInput(weight.Graph, weight.Name);
        }
    }
}
