using Onnx;

namespace Compression.Onnx.Graph;

/// <summary>Small edits passes need: inserting nodes in topological position, keeping declared types in line.</summary>
public static class GraphEditing
{
    /// <summary>
    /// Inserts <paramref name="nodes"/> (in execution order among themselves) into <paramref name="graph"/>
    /// at the latest position that keeps it topologically sorted: right before the first node that uses
    /// one of their outputs (directly or inside its subgraphs), after every node producing one of their inputs.
    /// </summary>
    /// <param name="graph">The graph to edit.</param>
    /// <param name="nodes">The new nodes.</param>
    /// <param name="filePath">The model path, for error messages.</param>
    /// <returns>The index of the first inserted node.</returns>
    /// <exception cref="CompressionException"><c>CMP1031</c> when no position works (the nodes would form a cycle).</exception>
    public static int InsertNodes(GraphProto graph, IReadOnlyList<NodeProto> nodes, string? filePath = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(nodes);
        var produced = new HashSet<string>(StringComparer.Ordinal);
        foreach (NodeProto node in nodes)
        {
            produced.UnionWith(node.Output.Where(o => o.Length > 0));
        }

        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (NodeProto node in nodes)
        {
            needed.UnionWith(node.Input.Where(i => i.Length > 0 && !produced.Contains(i)));
        }

        int lastProducer = -1;
        int firstConsumer = graph.Node.Count;
        for (int i = 0; i < graph.Node.Count; i++)
        {
            NodeProto existing = graph.Node[i];
            if (existing.Output.Any(needed.Contains))
            {
                lastProducer = i;
            }

            if (firstConsumer == graph.Node.Count && Uses(existing, produced))
            {
                firstConsumer = i;
            }
        }

        if (lastProducer >= firstConsumer)
        {
            throw new CompressionException(
                DiagnosticCodes.GraphNotTopological,
                $"The new nodes need '{graph.Node[lastProducer].Name}' ({graph.Node[lastProducer].OpType}), which runs after their first consumer '{graph.Node[firstConsumer].Name}' ({graph.Node[firstConsumer].OpType}).",
                filePath,
                "This is a bug in the pass that edits the graph: the inserted nodes would form a cycle. Report it with the model.");
        }

        for (int i = 0; i < nodes.Count; i++)
        {
            graph.Node.Insert(firstConsumer + i, nodes[i]);
        }

        return firstConsumer;
    }

    /// <summary>Puts <paramref name="replacement"/> (in execution order) where <paramref name="node"/> was.</summary>
    /// <param name="graph">The graph holding the node.</param>
    /// <param name="node">The node to replace (found by reference).</param>
    /// <param name="replacement">The new nodes.</param>
    /// <param name="filePath">The model path, for the error.</param>
    /// <exception cref="CompressionException"><c>CMP1030</c> when the node is not in the graph.</exception>
    public static void ReplaceNode(GraphProto graph, NodeProto node, IReadOnlyList<NodeProto> replacement, string? filePath = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(replacement);
        int at = IndexOf(graph, node, filePath);
        graph.Node.RemoveAt(at);
        for (int i = 0; i < replacement.Count; i++)
        {
            graph.Node.Insert(at + i, replacement[i]);
        }
    }

    /// <summary>The position of <paramref name="node"/> (by reference) in <paramref name="graph"/>.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="node">The node.</param>
    /// <param name="filePath">The model path, for the error.</param>
    /// <exception cref="CompressionException"><c>CMP1030</c> when the node is not in the graph.</exception>
    public static int IndexOf(GraphProto graph, NodeProto node, string? filePath = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(node);
        for (int i = 0; i < graph.Node.Count; i++)
        {
            if (ReferenceEquals(graph.Node[i], node))
            {
                return i;
            }
        }

        throw new CompressionException(DiagnosticCodes.GraphElementNotFound, $"Node '{node.Name}' ({node.OpType}) is no longer in its graph.", filePath, "This is a bug in the pass that edits the graph: report it with the model.");
    }

    /// <summary>Whether <paramref name="node"/> reads any of <paramref name="names"/>, including from inside its subgraphs.</summary>
    /// <param name="node">The node.</param>
    /// <param name="names">Value names.</param>
    public static bool Uses(NodeProto node, IReadOnlySet<string> names)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Input.Any(names.Contains)
            || Subgraphs.Of(node).SelectMany(g => Subgraphs.All(g)).Any(g => g.Node.Any(n => n.Input.Any(names.Contains)) || g.Output.Any(o => names.Contains(o.Name)));
    }

    /// <summary>Keeps a graph input / value_info declaration of <paramref name="name"/> in line with a new tensor value.</summary>
    internal static void UpdateDeclaredType(GraphProto graph, string name, TensorProto tensor)
    {
        foreach (ValueInfoProto value in graph.Input.Concat(graph.ValueInfo).Where(v => v.Name == name))
        {
            var shape = new TensorShapeProto();
            foreach (long dim in tensor.Dims)
            {
                shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
            }

            value.Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = tensor.DataType, Shape = shape } };
        }
    }

    /// <summary>Drops the value_info declaration of a value whose producer changes (it is optional and may no longer be right).</summary>
    internal static void RemoveDeclaredType(GraphProto graph, string name)
    {
        for (int i = graph.ValueInfo.Count - 1; i >= 0; i--)
        {
            if (graph.ValueInfo[i].Name == name)
            {
                graph.ValueInfo.RemoveAt(i);
            }
        }
    }

    internal static void RemoveInput(GraphProto graph, string name)
    {
        for (int i = graph.Input.Count - 1; i >= 0; i--)
        {
            if (graph.Input[i].Name == name)
            {
                graph.Input.RemoveAt(i);
            }
        }
    }
}
