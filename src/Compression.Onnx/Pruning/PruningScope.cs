using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>Which weights a pruner may touch: size floor and the user's exclusions (<c>ExcludeNodes</c>, <c>ExcludeOps</c>).</summary>
public sealed record PruningScope
{
    /// <summary>Weights with fewer elements are left alone (default 16): tiny tensors save nothing and are often sensitive.</summary>
    public long MinimumElements { get; init; } = 16;

    /// <summary>Node names whose weights (and, for channel pruning, whose channels) stay untouched.</summary>
    public IReadOnlyCollection<string> ExcludeNodes { get; init; } = [];

    /// <summary>Operator types whose weights (and channels) stay untouched, for example <c>Gemm</c>.</summary>
    public IReadOnlyCollection<string> ExcludeOps { get; init; } = [];

    /// <summary>The scope of pipeline settings: their <c>ExcludeNodes</c> and <c>ExcludeOps</c>, the default size floor.</summary>
    /// <param name="settings">The compression settings.</param>
    public static PruningScope From(CompressionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new PruningScope { ExcludeNodes = [.. settings.ExcludeNodes], ExcludeOps = [.. settings.ExcludeOps] };
    }

    /// <summary>Whether <paramref name="node"/> is excluded by name or operator type.</summary>
    /// <param name="node">A node.</param>
    public bool Excludes(NodeProto node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return (node.Name.Length > 0 && ExcludeNodes.Contains(node.Name)) || ExcludeOps.Contains(node.OpType);
    }
}
