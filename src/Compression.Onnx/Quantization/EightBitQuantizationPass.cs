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
        int integerMatMuls = 0;
        DynamicQuantizer? dynamic = null;
        if (settings.EffectiveMode == QuantizationMode.Dynamic)
        {
            dynamic = new DynamicQuantizer(index, settings);
            // Two phases, each shown as half of the stage: the integer-op weights, then the weight-only ones.
            dynamic.Run(context.WeightsDone(0, 0.5), cancellationToken);
            converted = dynamic.ConvertedWeights;
            integerMatMuls = dynamic.MatMulCount + dynamic.GemmCount;
            integerOps = string.Create(CultureInfo.InvariantCulture, $"{dynamic.MatMulCount} MatMul, {dynamic.GemmCount} Gemm, {dynamic.ConvCount} Conv integer");
            context.Metadata["compression.integer_ops"] = integerOps;
            if (index.Opset < 11 && (integerMatMuls == 0 || index.Nodes.Any(n => n.Node.OpType == "Conv")))
            {
                // The fused com.microsoft MatMul works at any opset; ConvInteger's activations need ONNX's DynamicQuantizeLinear.
                string which = integerMatMuls == 0 ? "weights are" : "Conv weights are";
                context.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"opset {index.Opset} has no DynamicQuantizeLinear (opset 11): {which} stored weight-only (TargetOpset=11 or later gives Conv integer ops)"));
            }
        }

        var skip = new HashSet<string>(converted, StringComparer.Ordinal);
        if (dynamic is not null) skip.UnionWith(dynamic.RemovedConstants);
        int weightOnly = WeightOnlyQuantizer.Run(index, settings, skip, context.WeightsDone(dynamic is null ? 0 : 0.5, 1), cancellationToken);
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
        // WeightRange concerns int8 weights of integer MatMul/Gemm only (ConvInteger weights are stored as uint8).
        bool signedIntegerOps = settings.Quantize == QuantizationType.Int8 && integerMatMuls > 0;
        if (signedIntegerOps && settings.WeightRange == WeightRange.Full)
        {
            // Said on the build line: this file is exact only on CPUs whose int8 kernels accumulate in 32 bits.
            summary += ", WeightRange=Full: 8-bit integer MatMul weights, exact only on VNNI/AMX/arm64 CPUs";
        }

        context.Summary.Add(summary + ")");
        if (signedIntegerOps)
        {
            context.Metadata["compression.weight_range"] = settings.WeightRange == WeightRange.Full ? "full" : "portable";
        }

        context.Metadata["compression.weights_integer"] = converted.Count.ToString(CultureInfo.InvariantCulture);
        context.Metadata["compression.weights_dequantized"] = weightOnly.ToString(CultureInfo.InvariantCulture);
        context.Metadata["compression.batchnorm_folded"] = folded.ToString(CultureInfo.InvariantCulture);
    }
}
