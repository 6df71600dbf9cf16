using System.Globalization;
using Compression.Kernels;
using Compression.Onnx.Graph;
using Compression.Onnx.IO;

namespace Compression.Onnx.Pruning;

/// <summary>
/// Magnitude pruning: zeroes the smallest <c>|w|</c> of the prunable weights (see <see cref="PruningScope"/>),
/// either per tensor (<c>Pruning="Unstructured"</c>: every tensor loses <see cref="Sparsity"/> of its elements)
/// or with one threshold across all of them (<c>Pruning="Global"</c>, with a per-tensor cap). Pruned weights
/// are stored as COO sparse tensors where that is smaller (above about 67% zeros), otherwise dense: the zeros
/// then pay off in the deflate-compressed size (<see cref="ModelSize"/>).
/// </summary>
public sealed class MagnitudePruner
{
    /// <summary>Creates a pruner.</summary>
    /// <param name="sparsity">Fraction of the prunable elements to zero, 0 to 0.99.</param>
    /// <param name="global">One threshold across all tensors instead of one per tensor.</param>
    public MagnitudePruner(double sparsity, bool global = false)
    {
        PruningSettingsCheck.Sparsity(sparsity);
        Sparsity = sparsity;
        Global = global;
    }

    /// <summary>Fraction of the prunable elements zeroed.</summary>
    public double Sparsity { get; }

    /// <summary>Whether one threshold is used across all tensors.</summary>
    public bool Global { get; }

    /// <summary>
    /// With <see cref="Global"/>, the largest fraction of one tensor that may be zeroed, so that no layer is wiped
    /// out; the rest of the budget goes to other tensors. Null (default) means 0.8, or <see cref="Sparsity"/> when
    /// that is higher: on Silero VAD at 50%, a 0.95 cap lets one layer collapse (75% speech-decision agreement),
    /// 0.8 keeps 89%.
    /// </summary>
    public double? LayerCap { get; init; }

    /// <summary>The cap actually used: <see cref="LayerCap"/>, or its default.</summary>
    public double EffectiveLayerCap => LayerCap ?? Math.Max(0.8, Sparsity);

    /// <summary>Which weights may be pruned.</summary>
    public PruningScope Scope { get; init; } = new();

    /// <summary>
    /// Write a weight as a sparse tensor when that is smaller (default <see langword="true"/>). Turn off when a
    /// later pass (quantization) rewrites the weights anyway.
    /// </summary>
    public bool StoreSparse { get; init; } = true;

    /// <summary>The pass name used in reports.</summary>
    public string Name => Global ? "GlobalMagnitudePruner" : "MagnitudePruner";

    /// <summary>Prunes <paramref name="model"/> in place; <see cref="Prune"/> also returns what was done.</summary>
    /// <param name="model">The model.</param>
    /// <param name="cancellationToken">Stops the work between weights or graphs.</param>
    public void Apply(OnnxModel model, CancellationToken cancellationToken = default) => Prune(model, cancellationToken);

    /// <summary>Prunes <paramref name="model"/> in place.</summary>
    /// <param name="model">The model.</param>
    /// <param name="cancellationToken">Stops between weights.</param>
    /// <returns>What was pruned.</returns>
    /// <exception cref="CompressionException">CMP4601 for a cap below the sparsity, CMP4602 when nothing can be pruned.</exception>
    public PruningReport Prune(OnnxModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (Global && !(EffectiveLayerCap >= Sparsity && EffectiveLayerCap <= 1))
        {
            throw PruningSettingsCheck.Invalid(
                string.Create(CultureInfo.InvariantCulture, $"The per-layer cap {EffectiveLayerCap} of global pruning is below Sparsity={Sparsity} or above 1."),
                "Use a cap between the sparsity and 1 (default 0.8).");
        }

        WeightCatalog catalog = ModelGraph.Build(model).Weights;
        List<Weight> weights = PrunableWeights.Select(catalog, Scope, model.Proto.IrVersion);
        if (weights.Count == 0)
        {
            throw new CompressionException(
                DiagnosticCodes.NothingToPrune,
                $"The model has no weight that magnitude pruning can prune (float, rank 2 or more, at least {Scope.MinimumElements} elements, not excluded).",
                model.FilePath,
                "Remove Sparsity/Pruning for this model, or lower the exclusions.");
        }

        long parameters = PrunableWeights.CountParameters(catalog);
        var report = new PruningReport { ParametersBefore = parameters, ParametersAfter = parameters };
        var values = new float[weights.Count][];
        for (int i = 0; i < weights.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            values[i] = weights[i].ReadFloats();
            report.ElementsConsidered += values[i].Length;
        }

        long[] counts = Global
            ? GlobalThreshold.Counts(values, (long)Math.Round(Sparsity * report.ElementsConsidered), EffectiveLayerCap)
            : values.Select(v => (long)Math.Round(Sparsity * v.Length)).ToArray();
        for (int i = 0; i < weights.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (counts[i] == 0)
            {
                continue;
            }

            MagnitudeSelector.PruneSmallest(values[i], counts[i]);
            weights[i].WriteFloats(values[i]);
            report.WeightsPruned++;
            report.ElementsZeroed += counts[i];
        }

        if (StoreSparse)
        {
            // WriteFloats kept each weight current (a sparse or Constant-attribute weight now holds its dense pruned tensor).
            // COO costs the value plus an 8-byte index per non-zero: only weights with enough zeros can get smaller.
            var candidates = weights.Where((w, i) => counts[i] > 0 && SparseStorage.MayBeSmaller(w.ElementType, values[i].Length, values[i].Length - CountZeros(values[i]))).ToList();
            foreach (Weight weight in candidates)
            {
                if (SparseStorage.TryStoreSparse(model, weight))
                {
                    report.SparseTensorsWritten++;
                }
            }
        }

        return report;
    }

    private static long CountZeros(ReadOnlySpan<float> values)
    {
        long zeros = 0;
        foreach (float value in values)
        {
            zeros += value == 0f ? 1 : 0;
        }

        return zeros;
    }
}
