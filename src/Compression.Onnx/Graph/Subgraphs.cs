using Compression.Onnx.IO;
using Onnx;

namespace Compression.Onnx.Graph;

/// <summary>The graphs nested in nodes (<c>If</c> branches, <c>Loop</c> and <c>Scan</c> bodies): the one walk every graph view uses.</summary>
public static class Subgraphs
{
    /// <summary>The graphs held by <paramref name="node"/>'s attributes, in attribute order.</summary>
    /// <param name="node">The node.</param>
    public static IEnumerable<GraphProto> Of(NodeProto node)
    {
        ArgumentNullException.ThrowIfNull(node);
        foreach (AttributeProto attribute in node.Attribute)
        {
            if (attribute.G is not null)
            {
                yield return attribute.G;
            }

            foreach (GraphProto graph in attribute.Graphs)
            {
                yield return graph;
            }
        }
    }

    /// <summary>Whether <paramref name="node"/> holds a subgraph (control flow).</summary>
    /// <param name="node">The node.</param>
    public static bool Any(NodeProto node) => Of(node).Any();

    /// <summary><paramref name="root"/> and every graph nested in it, each before the graphs it holds.</summary>
    /// <param name="root">The outermost graph.</param>
    /// <param name="filePath">The model path, for the error.</param>
    /// <exception cref="CompressionException">CMP1004 when graphs nest deeper than <see cref="ModelTensors.MaxGraphDepth"/>.</exception>
    public static IEnumerable<GraphProto> All(GraphProto root, string? filePath = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var pending = new Stack<(GraphProto Graph, int Depth)>();
        pending.Push((root, 0));
        while (pending.Count > 0)
        {
            var (graph, depth) = pending.Pop();
            CheckDepth(depth, filePath);
            yield return graph;
            var nested = graph.Node.SelectMany(Of).ToList();
            for (int i = nested.Count - 1; i >= 0; i--)
            {
                pending.Push((nested[i], depth + 1));
            }
        }
    }

    /// <summary>Throws CMP1009 when <paramref name="depth"/> is beyond <see cref="ModelTensors.MaxGraphDepth"/>.</summary>
    internal static void CheckDepth(int depth, string? filePath)
    {
        if (depth > ModelTensors.MaxGraphDepth)
        {
            throw ModelErrors.NestingTooDeep(filePath, null);
        }
    }
}
