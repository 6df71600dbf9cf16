using Compression.Onnx.Passes;

namespace Compression.Onnx.Static;

/// <summary>
/// The static rewrite: places Q/DQ around the nodes <see cref="QdqPlacement"/> picks, measures their activations on
/// <c>CalibrationData</c> (<see cref="ActivationCalibrator"/>, range by <see cref="CompressionSettings.CalibrationMethod"/>)
/// and writes the QDQ form (<see cref="QdqRewriter"/>).
/// </summary>
internal sealed class StaticQuantization : IRewrite
{
    /// <summary>Counts the rewrite records: nodes in QDQ form, uint8 activations, Relu/Clip folded into ranges.</summary>
    public const string Nodes = "static nodes", Activations = "uint8 activations", Absorbed = "Relu/Clip folded";

    /// <summary>The count recorded per node of <paramref name="opType"/> in QDQ form.</summary>
    public static string Placed(string opType) => "static " + opType;

    public void Apply(RewriteContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        var model = context.Graph;
        string data = settings.CalibrationDataPath!;
        var plan = QdqPlacement.Build(model, settings);
        if (plan.Count == 0)
        {
            throw new CompressionException(DiagnosticCodes.NothingToQuantizeStatically,
                "Mode=Static found no node ONNX Runtime runs as an integer kernel: no Conv/MatMul with a constant weight, no Add/Mul/Concat of activations in the main graph, or all excluded.",
                context.SourcePath, "Use Mode=Dynamic or WeightOnly for this model (nodes inside If/Loop/Scan bodies are not statically quantized).");
        }

        var tensors = plan.SelectMany(p => p.Activations.Append(p.Output)).ToHashSet(StringComparer.Ordinal);
        var stats = ActivationCalibrator.Run(model.Proto, tensors, data, settings.CalibrationMethod, context.SourcePath, cancellationToken);

        // A node whose tensors are not float (shape arithmetic in Add/Concat) or never seen stays as it is.
        var kept = plan.Where(p => p.Activations.Append(p.Output).All(t => stats[t].Seen)).ToList();
        var unseen = plan.Where(p => p.Weight is not null && !kept.Contains(p)).ToList();
        if (unseen.Count > 0)
        {
            throw new CompressionException(DiagnosticCodes.ActivationNeverSeen,
                $"Calibration saw no finite value of the input or output of {unseen.Count} node(s), e.g. '{unseen[0].Node.Name}' ({unseen[0].Node.OpType}).", data,
                "Give calibration samples that run through these nodes, or keep them in float with ExcludeNodes.");
        }

        var ranges = tensors.Where(t => stats[t].Seen).ToDictionary(t => t, t => RangeChooser.Choose(settings.CalibrationMethod, stats[t].Min, stats[t].Max, stats[t].Histogram), StringComparer.Ordinal);
        var rewriter = new QdqRewriter(model);
        rewriter.Apply(kept, ranges);
        foreach (var node in kept)
        {
            context.Record(Placed(node.Node.OpType));
            if (node.Weight is not null) context.Claim(node.Weight.Name);
        }

        context.Record(Nodes, kept.Count);
        context.Record(Activations, rewriter.ActivationCount);
        context.Record(Absorbed, kept.Count(p => p.Absorbed is not null));
        context.GraphChanged();
    }
}
