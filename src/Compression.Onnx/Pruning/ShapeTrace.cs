using Compression.Onnx.Graph;
using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>One element of a shape tensor traced back to where it comes from.</summary>
/// <param name="Value">The literal value, or the dimension index for a <paramref name="DimOf"/> element.</param>
/// <param name="Source">The constant that holds the literal (null for dimensions).</param>
/// <param name="Index">Position of the literal in <paramref name="Source"/>.</param>
/// <param name="Exclusive">Whether the literal feeds only this shape (so it may be rewritten).</param>
/// <param name="DimOf">For a dimension read by <c>Shape</c>: the tensor it was read from; null for a literal.</param>
internal readonly record struct ShapeElement(long Value, string? Source, int Index, bool Exclusive, string? DimOf)
{
    public bool IsLiteral => DimOf is null;
}

/// <summary>
/// Traces a shape tensor (a Reshape target) back through Cast, Concat, Unsqueeze, Squeeze, Identity to constants
/// and to dimensions read with Shape + Slice/Gather, as exporters such as paddle2onnx and torch emit them.
/// </summary>
internal static class ShapeTrace
{
    private const int MaxDepth = 16;

    public static List<ShapeElement>? Resolve(ChannelGraph graph, IReadOnlyDictionary<string, NodeProto> producers, long opset, string name) =>
        Resolve(graph, producers, opset, name, graph.UseCount(name) == 1, 0);

    /// <summary>The tensor whose Shape <paramref name="name"/> is (through Casts), or null.</summary>
    public static string? ShapeSource(IReadOnlyDictionary<string, NodeProto> producers, string name)
    {
        for (int depth = 0; depth < MaxDepth && producers.TryGetValue(name, out NodeProto? node); depth++)
        {
            switch (node.OpType)
            {
                case "Cast" or "Identity":
                    name = node.Input[0];
                    continue;
                case "Shape" when !node.Attribute.Any(a => a.Name is "start" or "end"):
                    return node.Input[0];
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>The indices of a Shape result that a Slice (step 1, axis 0) or Gather (constant indices) picks, or null.</summary>
    public static List<long>? SelectedIndices(ChannelGraph graph, NodeProto node, long opset)
    {
        if (node.OpType == "Gather")
        {
            return graph.ReadInts(node.Input.ElementAtOrDefault(1) ?? string.Empty) is { } indices && indices.All(i => i >= 0) ? [.. indices] : null;
        }

        if (node.OpType != "Slice")
        {
            return null;
        }

        long[]? starts, ends, axes, steps = null;
        if (opset < 10)
        {
            starts = Ints(node, "starts");
            ends = Ints(node, "ends");
            axes = Ints(node, "axes");
        }
        else
        {
            starts = graph.ReadInts(node.Input.ElementAtOrDefault(1) ?? string.Empty);
            ends = graph.ReadInts(node.Input.ElementAtOrDefault(2) ?? string.Empty);
            axes = node.Input.Count > 3 && node.Input[3].Length > 0 ? graph.ReadInts(node.Input[3]) : null;
            steps = node.Input.Count > 4 && node.Input[4].Length > 0 ? graph.ReadInts(node.Input[4]) : null;
            if ((node.Input.Count > 3 && node.Input[3].Length > 0 && axes is null) || (node.Input.Count > 4 && node.Input[4].Length > 0 && steps is null))
            {
                return null;
            }
        }

        if (starts is not [long start] || ends is not [long end] || (axes is not null && axes is not [0]) || (steps is not null && steps is not [1]))
        {
            return null;
        }

        if (start < 0 || end <= start || end - start > 16)
        {
            return null;
        }

        var result = new List<long>();
        for (long i = start; i < end; i++)
        {
            result.Add(i);
        }

        return result;
    }

    private static List<ShapeElement>? Resolve(ChannelGraph graph, IReadOnlyDictionary<string, NodeProto> producers, long opset, string name, bool exclusive, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        if (graph.IsConstant(name))
        {
            long[]? values = graph.ReadInts(name);
            if (values is null || (graph.ConstantDims(name)?.Length ?? 2) > 1)
            {
                return null;
            }

            bool mine = exclusive && graph.UseCount(name) == 1;
            return values.Select((v, i) => new ShapeElement(v, name, i, mine, null)).ToList();
        }

        if (!producers.TryGetValue(name, out NodeProto? node) || node.Input.Count == 0)
        {
            return null;
        }

        bool Single(string input) => exclusive && graph.UseCount(input) == 1;
        switch (node.OpType)
        {
            case "Cast" or "Identity" or "Squeeze" or "Unsqueeze":
                return Resolve(graph, producers, opset, node.Input[0], Single(node.Input[0]), depth + 1);
            case "Concat":
                var all = new List<ShapeElement>();
                foreach (string input in node.Input)
                {
                    List<ShapeElement>? part = Resolve(graph, producers, opset, input, Single(input), depth + 1);
                    if (part is null)
                    {
                        return null;
                    }

                    all.AddRange(part);
                }

                return all;
            case "Slice" or "Gather":
                string? source = ShapeSource(producers, node.Input[0]);
                List<long>? picked = source is null ? null : SelectedIndices(graph, node, opset);
                return picked?.Select(i => new ShapeElement(i, null, 0, false, source)).ToList();
            default:
                return null;
        }
    }

    internal static long[]? Ints(NodeProto node, string name)
    {
        AttributeProto? attribute = node.FindAttribute(name);
        return attribute is null ? null : [.. attribute.Ints];
    }
}
