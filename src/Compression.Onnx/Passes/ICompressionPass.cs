namespace Compression.Onnx.Passes;

/// <summary>
/// One stage's implementation in the pipeline (opset conversion, pruning, quantization...). Most passes are a
/// <see cref="RewritePass"/>: a list of small <see cref="IRewrite"/>s. To add one, implement this and list an instance
/// in <c>Pipeline.CompressionPasses.All</c>; the pipeline then routes the settings it supports to it.
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
