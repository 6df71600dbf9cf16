using System.Globalization;
using Compression.Onnx.Pipeline;

namespace Compression.Onnx.Quantization;

/// <summary>
/// <c>Quantize="Int8"</c>/<c>"UInt8"</c> with <c>Mode="Dynamic"</c> (default) or <c>"WeightOnly"</c>: folds
/// BatchNormalization into Conv, converts MatMul/Gemm/Conv to integer ops in Dynamic mode where ONNX Runtime's CPU
/// kernels support it, and stores every other eligible weight as 8 bits with a dequantization in front.
/// </summary>
internal sealed class EightBitQuantizationPass : ICompressionPass
{
    /// <summary>
    /// The MatMul/Gemm form written in Dynamic mode. Fused (<c>com.microsoft</c> <c>DynamicQuantizeMatMul</c>) measured as
    /// fast or faster than the plain ONNX chain in ONNX Runtime 1.31 (up to 1.6x at batch 32; docs/reports/passes.md),
    /// and it works at any opset; the plain chain stays available for other runtimes.
    /// </summary>
    internal static IntegerMatMulForm MatMulForm { get; set; } = IntegerMatMulForm.Fused;

    public CompressionStep Step => CompressionStep.Quantize;

    public bool Supports(CompressionSettings settings) =>
        settings.Quantize is QuantizationType.Int8 or QuantizationType.UInt8
        && settings.EffectiveMode is QuantizationMode.Dynamic or QuantizationMode.WeightOnly;

    public void Apply(CompressionContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        var index = ModelGraphIndex.Build(context.Model);
        int folded = BatchNormFolder.Fold(index, settings);
        index = ModelGraphIndex.Build(context.Model);

        var converted = new HashSet<string>(StringComparer.Ordinal);
        string integerOps = string.Empty;
        DynamicQuantizer? dynamic = null;
        if (settings.EffectiveMode == QuantizationMode.Dynamic)
        {
            dynamic = new DynamicQuantizer(index, settings, MatMulForm);
            dynamic.Run(cancellationToken);
            converted = dynamic.ConvertedWeights;
            integerOps = string.Create(CultureInfo.InvariantCulture, $"{dynamic.MatMulCount} MatMul, {dynamic.GemmCount} Gemm, {dynamic.ConvCount} Conv integer");
            context.Metadata["compression.integer_ops"] = integerOps;
            if (dynamic.MatMulCount + dynamic.GemmCount + dynamic.ConvCount == 0 && index.Opset < 11)
            {
                context.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"opset {index.Opset} has no DynamicQuantizeLinear (opset 11): weights are stored weight-only"));
            }
        }

        var skip = new HashSet<string>(converted, StringComparer.Ordinal);
        if (dynamic is not null) skip.UnionWith(dynamic.RemovedConstants);
        int weightOnly = WeightOnlyQuantizer.Run(index, settings, skip, cancellationToken);
        if (converted.Count + weightOnly == 0)
        {
            throw WeightSelection.NothingSelected(context, "quantize");
        }

        ValueNameCompactor.Compact(context);
        string type = settings.Quantize.ToString();
        string mode = settings.EffectiveMode == QuantizationMode.Dynamic ? "dynamic" : "weight-only";
        string granularity = settings.PerChannel ? "per-channel" : "per-tensor";
        string symmetry = settings.EffectiveSymmetric ? "symmetric" : "asymmetric";
        string summary = string.Create(CultureInfo.InvariantCulture, $"{type} {mode}, {granularity} {symmetry} weights ({converted.Count} for integer ops, {weightOnly} dequantized");
        if (folded > 0) summary += string.Create(CultureInfo.InvariantCulture, $", {folded} BatchNormalization folded");
        context.Summary.Add(summary + ")");
        context.Metadata["compression.weights_integer"] = converted.Count.ToString(CultureInfo.InvariantCulture);
        context.Metadata["compression.weights_dequantized"] = weightOnly.ToString(CultureInfo.InvariantCulture);
        context.Metadata["compression.batchnorm_folded"] = folded.ToString(CultureInfo.InvariantCulture);
    }
}
