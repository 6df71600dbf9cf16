using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>
/// Structured channel pruning (<c>Pruning="Channel"</c>): removes whole output channels (neurons) of Conv,
/// ConvTranspose, Gemm and MatMul layers, the least important first (<see cref="ChannelImportance"/>), and rewrites
/// every consumer so the model stays valid and really gets smaller and faster: BatchNormalization, biases,
/// per-channel constants of elementwise ops, depthwise Convs (and their <c>group</c>), Concat, Reshape targets and
/// the next layer's input channels. Channels that reach a graph output, an unfollowable Reshape/Flatten, or a
/// residual Add whose other side cannot lose the same channels are kept; the report counts them by reason.
/// Works in the main graph and in every subgraph, on initializers and Constant nodes alike.
/// </summary>
public sealed class ChannelPruner : IModelPass
{
    /// <summary>Creates a pruner.</summary>
    /// <param name="sparsity">Fraction of the channels of every prunable group to remove (rounded down, at least one channel stays).</param>
    public ChannelPruner(double sparsity)
    {
        PruningSettingsCheck.Sparsity(sparsity);
        Sparsity = sparsity;
    }

    /// <summary>Fraction of the channels removed from every prunable group.</summary>
    public double Sparsity { get; }

    /// <summary>
    /// Groups with fewer channels are left whole (default 16): narrow layers (stems, squeeze-excitation bottlenecks)
    /// hold little of the model and lose the most accuracy per channel.
    /// </summary>
    public int MinimumGroupChannels { get; init; } = 16;

    /// <summary>The norm that ranks channels (default L2).</summary>
    public ChannelNorm Norm { get; init; } = ChannelNorm.L2;

    /// <summary>Layers (by node name or operator type) whose channels stay.</summary>
    public PruningScope Scope { get; init; } = new();

    /// <summary>
    /// Inputs of the original model (each sample: one value per graph input) on which the mean of every channel
    /// read by a layer is measured, so that the layer's bias absorbs the mean contribution of the channels
    /// removed from its input; null skips the correction.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<NamedOnnxValue>>? CalibrationInputs { get; init; }

    /// <summary>For checks: zero the removed channels where layers read them instead of removing them, which must compute the same function.</summary>
    internal bool ZeroInsteadOfRemove { get; init; }

    /// <inheritdoc />
    public string Name => "ChannelPruner";

    /// <inheritdoc />
    public void Apply(OnnxModel model, CancellationToken cancellationToken = default) => Prune(model, cancellationToken);

    /// <summary>Prunes <paramref name="model"/> in place.</summary>
    /// <param name="model">The model.</param>
    /// <param name="cancellationToken">Stops between graphs.</param>
    /// <returns>Channels removed and groups skipped, by reason.</returns>
    /// <exception cref="CompressionException">CMP4603 when no group can lose a channel.</exception>
    public PruningReport Prune(OnnxModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        WeightCatalog catalog = WeightCatalog.Build(model);
        var report = new PruningReport { ParametersBefore = PrunableWeights.CountParameters(catalog) };
        var names = UniqueNames.ForModel(model.Proto);
        long opset = Opsets.GetVersion(model.Proto, string.Empty) ?? 1;
        foreach (GraphProto graph in AllGraphs(model.Proto.Graph, 0))
        {
            cancellationToken.ThrowIfCancellationRequested();
            PruneGraph(new ChannelGraph(model, graph, catalog, names), opset, report);
        }

        report.ParametersAfter = PrunableWeights.CountParameters(WeightCatalog.Build(model));
        if (report.GroupsPruned == 0)
        {
            string why = report.SkippedGroups.Count == 0
                ? "it has no Conv, ConvTranspose, Gemm or MatMul layer with constant weights"
                : "every channel group is held: " + string.Join("; ", report.SkippedGroups.Select(s => $"{s.Value.Groups} groups {s.Key}"));
            throw new CompressionException(
                DiagnosticCodes.NoPrunableChannels,
                $"Channel pruning cannot remove any channel of this model: {why}.",
                model.FilePath,
                "Use Pruning=Unstructured or Global for this model, raise Sparsity, or remove Sparsity/Pruning.");
        }

        return report;
    }

    private void PruneGraph(ChannelGraph graph, long opset, PruningReport report)
    {
        var analysis = new ChannelAnalysis(graph, opset, Scope);
        analysis.Run();
        var roots = analysis.Groups.Select(g => g.Root).Distinct().ToList();
        foreach (ChannelGroup group in roots)
        {
            if (group.BlockedBecause is { } reason)
            {
                report.Skip(reason, group.Size);
                continue;
            }

            int count = Math.Min((int)Math.Floor(Sparsity * group.Size), group.Size - 1);
            if (count <= 0 || group.Size < MinimumGroupChannels)
            {
                report.Skip(ChannelSkipReasons.TooFew, group.Size);
                continue;
            }

            group.Removed = ChannelImportance.Smallest(ChannelImportance.Compute(graph, group, Norm), count);
            report.GroupsPruned++;
            report.ChannelsRemoved += count;
        }

        if (CalibrationInputs is { Count: > 0 } inputs && ReferenceEquals(graph.Graph, graph.Model.Proto.Graph) && analysis.Corrections.Count > 0)
        {
            var read = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (BiasCorrection correction in analysis.Corrections.Where(c => c.Read.IsPruned))
            {
                read[correction.Node.Input[0]] = analysis.Members[correction.Node.Input[0]].FromEnd;
            }

            Dictionary<string, double[]> means = ChannelStatistics.Measure(graph.Model.Proto, read, inputs);
            foreach (BiasCorrection correction in analysis.Corrections)
            {
                if (means.TryGetValue(correction.Node.Input[0], out double[]? mean) && correction.Apply(graph, mean))
                {
                    report.BiasesCorrected++;
                }
            }
        }

        if (ZeroInsteadOfRemove)
        {
            foreach (SliceEdit edit in analysis.Edits.OfType<SliceEdit>())
            {
                edit.ZeroRemoved(graph);
            }

            return;
        }

        var sliced = new HashSet<string>(StringComparer.Ordinal);
        foreach (ChannelEdit edit in analysis.Edits)
        {
            edit.Apply(graph);
            if (edit is SliceEdit slice && edit.Space.IsPruned)
            {
                sliced.Add(slice.Node.Input[slice.Input]);
            }
        }

        report.WeightsPruned += sliced.Count;
        foreach ((string name, ChannelMember member) in analysis.Members)
        {
            if (member.Space.IsPruned)
            {
                graph.DropDeclaration(name);
            }
        }
    }

    private static IEnumerable<GraphProto> AllGraphs(GraphProto graph, int depth)
    {
        yield return graph;
        if (depth > ModelTensors.MaxGraphDepth)
        {
            yield break;
        }

        foreach (NodeProto node in graph.Node)
        {
            foreach (AttributeProto attribute in node.Attribute)
            {
                foreach (GraphProto subgraph in attribute.Graphs.Append(attribute.G).OfType<GraphProto>())
                {
                    foreach (GraphProto nested in AllGraphs(subgraph, depth + 1))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }
}
