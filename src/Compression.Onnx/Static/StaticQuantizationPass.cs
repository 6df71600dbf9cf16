using System.Globalization;
using Compression.Onnx.Pipeline;
using Compression.Onnx.Quantization;

namespace Compression.Onnx.Static;

/// <summary>
/// <c>Quantize="Int8"</c>/<c>"UInt8"</c> with <c>Mode="Static"</c>: folds BatchNormalization into Conv, picks the nodes ONNX
/// Runtime's CPU provider fuses into integer kernels (<see cref="StaticPlan"/>), measures their activations on
/// <c>CalibrationData</c> (<see cref="ActivationCalibrator"/>, range by <see cref="CompressionSettings.CalibrationMethod"/>)
/// and writes the QDQ form (<see cref="QdqRewriter"/>). Both types write uint8 activations and 7-bit int8 weights: the
/// one form MLAS runs fast and exactly on every x86 CPU.
/// </summary>
internal sealed class StaticQuantizationPass : ICompressionPass
{
    public CompressionStep Step => CompressionStep.Quantize;

    public bool Supports(CompressionSettings settings) =>
        settings.Quantize is QuantizationType.Int8 or QuantizationType.UInt8 && settings.EffectiveMode == QuantizationMode.Static;

    public void Apply(CompressionContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        if (settings.CalibrationDataPath is not { } data)
        {
            throw new CompressionException(DiagnosticCodes.StaticNeedsCalibrationData, "Mode=Static needs CalibrationData to measure the activation ranges.", context.SourcePath,
                "Give CalibrationData: a folder of test_data_set_<n>/input_<k>.pb or set_<n>/<INPUT>.npy samples of what the app feeds the model.");
        }

        var index = ModelGraphIndex.Build(context.Model);
        int? raisedFrom = QdqOpset.Ensure(index, context.SourcePath);
        if (raisedFrom is int old)
        {
            context.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"opset {old} raised to {QdqOpset.Minimum} for the QDQ form (Slice bounds moved to inputs)"));
            context.Metadata["compression.opset_raised_from"] = old.ToString(CultureInfo.InvariantCulture);
            index = ModelGraphIndex.Build(context.Model);
        }

        int folded = BatchNormFolder.Fold(index, settings);
        index = ModelGraphIndex.Build(context.Model);
        var plan = StaticPlan.Build(index, settings);
        if (plan.Count == 0)
        {
            throw new CompressionException(DiagnosticCodes.NothingToQuantizeStatically,
                "Mode=Static found no node ONNX Runtime runs as an integer kernel: no Conv/MatMul with a constant weight, no Add/Mul/Concat of activations in the main graph, or all excluded.",
                context.SourcePath, "Use Mode=Dynamic or WeightOnly for this model (nodes inside If/Loop/Scan bodies are not statically quantized).");
        }

        var tensors = plan.SelectMany(p => p.Activations.Append(p.Output)).ToHashSet(StringComparer.Ordinal);
        var stats = ActivationCalibrator.Run(context.Model.Proto, tensors, data, settings.CalibrationMethod, context.SourcePath, cancellationToken);

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
        var rewriter = new QdqRewriter(index);
        rewriter.Apply(kept, ranges);

        var byOp = kept.GroupBy(p => p.Node.OpType).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}"));
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"{settings.Quantize} static QDQ ({string.Join(", ", byOp)}; {rewriter.ActivationCount} uint8 activations, {settings.CalibrationMethod} calibration; 7-bit per-channel weights");
        if (folded > 0) summary += string.Create(CultureInfo.InvariantCulture, $", {folded} BatchNormalization folded");
        int absorbed = kept.Count(p => p.Absorbed is not null);
        if (absorbed > 0) summary += string.Create(CultureInfo.InvariantCulture, $", {absorbed} Relu/Clip folded into ranges");
        context.Summary.Add(summary + ")");
        context.Metadata["compression.calibration_method"] = settings.CalibrationMethod.ToString();
        context.Metadata["compression.static_nodes"] = kept.Count.ToString(CultureInfo.InvariantCulture);
        context.Metadata["compression.weight_range"] = "7-bit";
        context.Metadata["compression.batchnorm_folded"] = folded.ToString(CultureInfo.InvariantCulture);
    }
}
