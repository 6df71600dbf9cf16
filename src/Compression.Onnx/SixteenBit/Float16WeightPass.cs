using System.Globalization;
using Compression.Onnx.Fusion;
using Compression.Onnx.Passes;
using Compression.Onnx.Quantization;

namespace Compression.Onnx.SixteenBit;

/// <summary>
/// <c>Quantize="Float16"</c>/<c>"BFloat16"</c>, <c>Mode="WeightOnly"</c> (default): folds BatchNormalization (its
/// statistics then need no storage at all; ONNX Runtime folds them at load anyway), stores every eligible float32
/// weight in 16 bits with a <c>Cast</c> back to float under the original name (<see cref="Float16Weights"/>), so the
/// model computes exactly as before on every CPU at half the file size, and shortens internal names.
/// </summary>
internal sealed class Float16WeightPass : RewritePass
{
    public override CompressionStep Step => CompressionStep.Quantize;

    public override bool Supports(CompressionSettings settings) =>
        settings.Quantize is QuantizationType.Float16 or QuantizationType.BFloat16 && settings.EffectiveMode == QuantizationMode.WeightOnly;

    public override IReadOnlyList<IRewrite> Rewrites(CompressionSettings settings) => [new BatchNormFold(), new Float16Weights(), new CompactValueNames()];

    protected override void Check(RewriteContext context)
    {
        int opset = context.Graph.Opset;
        if (context.Settings.Quantize == QuantizationType.BFloat16 && opset < 7)
        {
            throw new CompressionException(
                DiagnosticCodes.OpsetTooOld,
                string.Create(CultureInfo.InvariantCulture, $"Quantize=BFloat16 needs opset 7 or later, but the model imports opset {opset}."),
                context.SourcePath,
                "Before opset 13 bfloat16 weights are decoded with arithmetic ops, and ONNX Runtime has no kernels for opset 1-6 arithmetic. Use Quantize=Float16, or convert the model to a newer opset first.");
        }
    }

    protected override void Report(RewriteContext context)
    {
        int count = context.Count(Float16Weights.Converted);
        if (count == 0)
        {
            throw WeightSelection.NothingSelected(context.Pass, "convert");
        }

        int folded = context.Count(BatchNormFold.Folded);
        string foldNote = folded > 0 ? string.Create(CultureInfo.InvariantCulture, $", {folded} BatchNormalization folded") : string.Empty;
        context.Pass.Summary.Add(string.Create(CultureInfo.InvariantCulture, $"{context.Settings.Quantize} weight-only ({count} weights stored in 16 bits{foldNote})"));
        context.Pass.Metadata["compression.batchnorm_folded"] = folded.ToString(CultureInfo.InvariantCulture);
        context.Pass.Metadata["compression.weights_16bit"] = count.ToString(CultureInfo.InvariantCulture);
    }
}
