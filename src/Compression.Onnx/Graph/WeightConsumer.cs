using Onnx;

namespace Compression.Onnx.Graph;

/// <summary>One use of a weight: an input of a node, or (with <see cref="Node"/> null) an output of a graph.</summary>
/// <param name="Node">The consuming node, or <see langword="null"/> when the weight is an output of <paramref name="Graph"/>.</param>
/// <param name="InputIndex">The node input index (or the graph output index).</param>
/// <param name="Graph">The graph that holds the node: the weight's own graph or a subgraph nested in it.</param>
public sealed record WeightConsumer(NodeProto? Node, int InputIndex, GraphProto Graph)
{
    /// <summary>The consuming node's op type, or an empty string for a graph output.</summary>
    public string OpType => Node?.OpType ?? string.Empty;

    /// <summary>The consuming node's domain (empty for the default ONNX domain).</summary>
    public string Domain => Node?.Domain ?? string.Empty;
}
