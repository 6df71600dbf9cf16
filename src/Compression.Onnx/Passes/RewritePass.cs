namespace Compression.Onnx.Passes;

/// <summary>
/// A pass made of rewrites run in order on one <see cref="RewriteContext"/>: <see cref="Check"/> rejects what the
/// settings cannot do to this model, each rewrite of <see cref="Rewrites"/> runs, and <see cref="Report"/> turns the
/// counts into the summary, metadata and notes. A rewrite that must see the previous one's edits gets them through
/// the rule of <see cref="RewriteContext.GraphChanged"/>; one that must skip what an earlier one handled asks the claims.
/// The rewrites that count their weights (<see cref="IRewrite.CountsWeights"/>) share the stage's progress evenly.
/// </summary>
internal abstract class RewritePass : ICompressionPass
{
    public abstract CompressionStep Step { get; }

    public abstract bool Supports(CompressionSettings settings);

    /// <summary>The rewrites for <paramref name="settings"/>, in the order they run.</summary>
    public abstract IReadOnlyList<IRewrite> Rewrites(CompressionSettings settings);

    public void Apply(CompressionContext context, CancellationToken cancellationToken)
    {
        var rewrites = new RewriteContext(context);
        Check(rewrites);
        var list = Rewrites(context.Settings);
        int counting = list.Count(r => r.CountsWeights), counted = 0;
        foreach (IRewrite rewrite in list)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rewrites.WeightsDone = rewrite.CountsWeights ? context.WeightsDone((double)counted / counting, (double)++counted / counting) : null;
            rewrite.Apply(rewrites, cancellationToken);
        }

        rewrites.WeightsDone = null;
        Report(rewrites);
    }

    /// <summary>Rejects, with a coded error, a model the settings cannot be applied to (default: none).</summary>
    protected virtual void Check(RewriteContext context)
    {
    }

    /// <summary>Writes the summary phrase, metadata and notes from what the rewrites recorded.</summary>
    protected abstract void Report(RewriteContext context);
}
