using Onnx;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;

namespace Compression.Onnx.Graph;

/// <summary>Small edits passes need: inserting nodes in topological position, Constant nodes, declared types.</summary>
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

            if (firstConsumer == graph.Node.Count && Uses(existing, produced, 0))
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

    /// <summary>A <c>Constant</c> node whose output (and node name) is the tensor's name.</summary>
    /// <param name="tensor">The value.</param>
    public static NodeProto CreateConstant(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var node = new NodeProto { OpType = "Constant", Name = tensor.Name };
        node.Output.Add(tensor.Name);
        node.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeType.Tensor, T = tensor });
        return node;
    }

    /// <summary>Whether <paramref name="node"/> reads any of <paramref name="names"/>, including from inside its subgraphs.</summary>
    /// <param name="node">The node.</param>
    /// <param name="names">Value names.</param>
    public static bool Uses(NodeProto node, IReadOnlySet<string> names) => Uses(node, names, 0);

    internal static bool Uses(NodeProto node, IReadOnlySet<string> names, int depth)
    {
        if (node.Input.Any(names.Contains))
        {
            return true;
        }

        if (depth > IO.ModelTensors.MaxGraphDepth)
        {
            return false;
        }

        foreach (AttributeProto attribute in node.Attribute)
        {
            if (attribute.G is not null && GraphUses(attribute.G, names, depth + 1))
            {
                return true;
            }

            foreach (GraphProto graph in attribute.Graphs)
            {
                if (GraphUses(graph, names, depth + 1))
                {
                    return true;
                }
            }
        }

        return false;
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

    private static bool GraphUses(GraphProto graph, IReadOnlySet<string> names, int depth) =>
        graph.Node.Any(n => Uses(n, names, depth)) || graph.Output.Any(o => names.Contains(o.Name));
}
