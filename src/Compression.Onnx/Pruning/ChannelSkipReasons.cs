namespace Compression.Onnx.Pruning;

/// <summary>Why a channel group was left whole; the texts appear in reports and logs.</summary>
internal static class ChannelSkipReasons
{
    public const string GraphOutput = "reach a graph output";
    public const string Subgraph = "are read inside a subgraph";
    public const string Residual = "are joined with a tensor whose channels cannot be removed (residual Add, graph input)";
    public const string Reshape = "feed a Reshape or Flatten the pruner cannot follow";
    public const string Excluded = "are excluded by ExcludeNodes/ExcludeOps";
    public const string SizeMismatch = "join tensors of different channel counts";
    public const string ShapeRead = "have their shape read";
    public const string Grouped = "feed a grouped Conv";
    public const string OtherAxis = "are read along another axis";
    public const string TooFew = "are fewer than the minimum group size or too few to remove any";

    public static string Operator(string opType) => $"feed an operator the pruner cannot follow ({opType})";
}
