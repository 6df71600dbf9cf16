using System.Buffers;
using Compression.Kernels;
using Compression.Onnx.Graph;
using Compression.Onnx.IO;

namespace Compression.Onnx.Pruning;

/// <summary>
/// N:M structured sparsity (<c>Pruning="2:4"</c>): along the input-channel axis of every MatMul, Gemm and Conv
/// weight, each group of M consecutive weights keeps its N largest magnitudes. Every mask is checked before the
/// weight is written. The model keeps its dense layout (runtimes with sparse tensor cores compress it); the zeros
/// pay off in the deflate-compressed size.
/// </summary>
public sealed class NMSparsityPruner
{
    /// <summary>Creates a pruner for <paramref name="pattern"/>.</summary>
    /// <param name="pattern">The pattern, for example <see cref="NMPattern.TwoOfFour"/>.</param>
    public NMSparsityPruner(NMPattern pattern)
    {
        if (pattern.N <= 0 || pattern.N >= pattern.M || pattern.M > 64)
        {
            throw PruningSettingsCheck.Invalid($"{pattern} is not an N:M pattern with 0 < N < M <= 64.", "Use 2:4, 1:4, 4:8...");
        }

        Pattern = pattern;
    }

    /// <summary>The pattern.</summary>
    public NMPattern Pattern { get; }

    /// <summary>Which weights may be pruned.</summary>
    public PruningScope Scope { get; init; } = new();

    /// <summary>Prunes <paramref name="model"/> in place; <see cref="Prune"/> also returns what was done.</summary>
    /// <param name="model">The model.</param>
    /// <param name="cancellationToken">Stops the work between weights or graphs.</param>
    public void Apply(OnnxModel model, CancellationToken cancellationToken = default) => Prune(model, cancellationToken);

    /// <summary>Prunes <paramref name="model"/> in place.</summary>
    /// <param name="model">The model.</param>
    /// <param name="cancellationToken">Stops between weights.</param>
    /// <returns>What was pruned.</returns>
    /// <exception cref="CompressionException">CMP4602 when no weight has an input-channel axis of at least M.</exception>
    public PruningReport Prune(OnnxModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        WeightCatalog catalog = ModelGraph.Build(model).Weights;
        long parameters = PrunableWeights.CountParameters(catalog);
        var report = new PruningReport { ParametersBefore = parameters, ParametersAfter = parameters };
        foreach (Weight weight in PrunableWeights.Select(catalog, Scope, model.Proto.IrVersion))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (InputChannelLayout.Of(weight) is not { } layout || layout.Axis < Pattern.M)
            {
                continue;
            }

            float[] values = weight.ReadFloats();
            byte[] mask = ArrayPool<byte>.Shared.Rent(values.Length);
            try
            {
                MagnitudeSelector.NMMask(values, layout.Outer, layout.Axis, layout.Inner, Pattern.N, Pattern.M, mask);
                MagnitudeSelector.ApplyMask(values, mask.AsSpan(0, values.Length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(mask);
            }

            if (!Pattern.IsSatisfiedBy(values, layout.Outer, layout.Axis, layout.Inner))
            {
                throw new CompressionException(DiagnosticCodes.InvalidSparsityPattern, $"The {Pattern} mask of weight '{weight.Name}' keeps more than {Pattern.N} of {Pattern.M} weights in a group.", model.FilePath, "This is a bug in the pruner: report it with the model.");
            }

            weight.WriteFloats(values);
            report.WeightsPruned++;
            report.ElementsConsidered += values.Length;
            report.ElementsZeroed += values.Count(v => v == 0);
        }

        if (report.WeightsPruned == 0)
        {
            throw new CompressionException(
                DiagnosticCodes.NothingToPrune,
                $"No MatMul, Gemm or Conv weight of the model has an input-channel axis of at least {Pattern.M} for {Pattern} sparsity.",
                model.FilePath,
                "Use Pruning=Unstructured or Global for this model, or remove Sparsity/Pruning.");
        }

        return report;
    }
}
