using System.Globalization;
using Compression.Onnx.Fusion;
using Compression.Onnx.Passes;

namespace Compression.Onnx.Static;

/// <summary>
/// <c>Quantize="Int8"</c>/<c>"UInt8"</c> with <c>Mode="Static"</c>: raises an opset-9 model to 10 (<see cref="QdqOpset"/>),
/// folds BatchNormalization into Conv, then <see cref="StaticQuantization"/> picks the nodes ONNX Runtime's CPU provider
/// fuses into integer kernels, calibrates their activations on <c>CalibrationData</c> and writes the QDQ form. Both types
/// write uint8 activations and 7-bit int8 weights: the one form MLAS runs fast and exactly on every x86 CPU.
/// </summary>
internal sealed class StaticQuantizationPass : RewritePass
{
    public override CompressionStep Step => CompressionStep.Quantize;

    public override bool Supports(CompressionSettings settings) =>
        settings.Quantize is QuantizationType.Int8 or QuantizationType.UInt8 && settings.EffectiveMode == QuantizationMode.Static;

    public override IReadOnlyList<IRewrite> Rewrites(CompressionSettings settings) => [new QdqOpset(), new BatchNormFold(), new StaticQuantization()];

    protected override void Check(RewriteContext context)
    {
        if (context.Settings.CalibrationDataPath is null)
        {
            throw new CompressionException(DiagnosticCodes.StaticNeedsCalibrationData, "Mode=Static needs CalibrationData to measure the activation ranges.", context.SourcePath,
                "Give CalibrationData: a folder of test_data_set_<n>/input_<k>.pb or set_<n>/<INPUT>.npy samples of what the app feeds the model.");
        }
    }

    protected override void Report(RewriteContext context)
    {
        var settings = context.Settings;
        var metadata = context.Pass.Metadata;
        int folded = context.Count(BatchNormFold.Folded);
        var byOp = QdqPlacement.Operators.OpTypes.Order(StringComparer.Ordinal)
            .Select(op => (Op: op, Count: context.Count(StaticQuantization.Placed(op))))
            .Where(p => p.Count > 0)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Count} {p.Op}"));
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"{settings.Quantize} static QDQ ({string.Join(", ", byOp)}; {context.Count(StaticQuantization.Activations)} uint8 activations, {settings.CalibrationMethod} calibration; 7-bit per-channel weights");
        if (folded > 0) summary += string.Create(CultureInfo.InvariantCulture, $", {folded} BatchNormalization folded");
        int absorbed = context.Count(StaticQuantization.Absorbed);
        if (absorbed > 0) summary += string.Create(CultureInfo.InvariantCulture, $", {absorbed} Relu/Clip folded into ranges");
        context.Pass.Summary.Add(summary + ")");
        metadata["compression.calibration_method"] = settings.CalibrationMethod.ToString();
        metadata["compression.static_nodes"] = context.Count(StaticQuantization.Nodes).ToString(CultureInfo.InvariantCulture);
        metadata["compression.weight_range"] = "7-bit";
        metadata["compression.batchnorm_folded"] = folded.ToString(CultureInfo.InvariantCulture);
    }
}
