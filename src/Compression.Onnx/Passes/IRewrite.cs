namespace Compression.Onnx.Passes;

/// <summary>
/// One small graph-to-graph rewrite of a <see cref="RewritePass"/>, as ONNX Runtime's quantization tool has one class
/// per operator (<c>operators/matmul.py</c>, <c>conv.py</c>...): the BatchNormalization fold, the integer MatMul, the
/// 4-bit MatMulNBits... It finds what it can change in <see cref="RewriteContext.Graph"/>, changes the model, records
/// counts for the pass's summary, and claims the weights it took or wrote so the rewrites after it leave them alone.
/// </summary>
internal interface IRewrite
{
    /// <summary>Rewrites what it recognises; leaves everything else as it is.</summary>
    /// <param name="context">The graph, the settings, the claims and the counts of this pass.</param>
    /// <param name="cancellationToken">Stops the work between weights or nodes.</param>
    void Apply(RewriteContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the rewrite counts the weights it works through in <see cref="RewriteContext.WeightsDone"/> (the
    /// quantizers do): the pass gives each rewrite that does an equal share of the stage's progress.
    /// </summary>
    bool CountsWeights => false;
}

/// <summary>A rewrite of nodes of one operator type, found through an <see cref="OpRegistry{T}"/>.</summary>
internal interface IOpRewrite
{
    /// <summary>The operator type it rewrites (default ONNX domain), for example <c>MatMul</c>.</summary>
    string OpType { get; }
}
