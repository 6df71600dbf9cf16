namespace Compression.Onnx.Pipeline;

/// <summary>
/// One graph-to-graph rewrite of the pipeline. To add a compression, implement this and list an instance in
/// <see cref="CompressionPasses.All"/>; <see cref="ModelCompressor"/> then routes the settings it supports to it.
/// </summary>
internal interface ICompressionPass
{
    /// <summary>The stage this pass implements.</summary>
    CompressionStep Step { get; }

    /// <summary>Whether the pass can do what <paramref name="settings"/> ask for its stage.</summary>
    bool Supports(CompressionSettings settings);

    /// <summary>Rewrites <see cref="CompressionContext.Model"/> in place and records what it did.</summary>
    void Apply(CompressionContext context, CancellationToken cancellationToken);
}
