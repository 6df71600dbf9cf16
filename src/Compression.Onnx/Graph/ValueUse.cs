using Onnx;

namespace Compression.Onnx.Graph;

/// <summary>
/// One read of a value: an input of a node, an outer-scope read by a node's subgraph (<see cref="InputIndex"/> -1,
/// the node that owns the subgraph), or (with <see cref="Node"/> null) an output of a graph.
/// </summary>
/// <param name="Node">The reading node, or <see langword="null"/> when the value is an output of <paramref name="Graph"/>.</param>
/// <param name="InputIndex">The node input index, -1 for a read from inside the node's subgraphs, or the graph output index.</param>
/// <param name="Graph">The graph that holds the node: the value's own graph or a subgraph nested in it.</param>
public sealed record ValueUse(NodeProto? Node, int InputIndex, GraphProto Graph)
{
    /// <summary>The reading node's op type, or an empty string for a graph output.</summary>
    public string OpType => Node?.OpType ?? string.Empty;

    /// <summary>The reading node's domain (empty for the default ONNX domain).</summary>
    public string Domain => Node?.Domain ?? string.Empty;
}
