using System.Globalization;
using Compression.Onnx.Fusion;
using Compression.Onnx.Passes;
using Compression.Onnx.Quantization.Integer;

namespace Compression.Onnx.Quantization;

/// <summary>
/// <c>Quantize="Int8"</c>/<c>"UInt8"</c> with <c>Mode="Dynamic"</c> (default) or <c>"WeightOnly"</c>: folds
/// BatchNormalization into Conv, converts MatMul/Gemm/Conv to integer ops in Dynamic mode where ONNX Runtime's CPU
/// kernels support it (<see cref="DynamicIntegerOps"/>), stores every other eligible weight as 8 bits with a
/// dequantization in front (<see cref="WeightOnlyQuantization"/>), and shortens internal names.
/// </summary>
internal sealed class EightBitQuantizationPass : RewritePass
{
    public override CompressionStep Step => CompressionStep.Quantize;

    public override bool Supports(CompressionSettings settings) =>
        settings.Quantize is QuantizationType.Int8 or QuantizationType.UInt8
        && settings.EffectiveMode is QuantizationMode.Dynamic or QuantizationMode.WeightOnly;

    public override IReadOnlyList<IRewrite> Rewrites(CompressionSettings settings) => settings.EffectiveMode == QuantizationMode.Dynamic
        ? [new BatchNormFold(), new DynamicIntegerOps(), new WeightOnlyQuantization(), new CompactValueNames()]
        : [new BatchNormFold(), new WeightOnlyQuantization(), new CompactValueNames()];

    protected override void Report(RewriteContext context)
    {
        var settings = context.Settings;
        var metadata = context.Pass.Metadata;
        int integer = context.Count(DynamicIntegerOps.WeightsConverted);
        int weightOnly = context.Count(WeightOnlyQuantization.Dequantized);
        int folded = context.Count(BatchNormFold.Folded);
        int matMuls = context.Count(DynamicIntegerOps.Converted("MatMul"));
        int gemms = context.Count(DynamicIntegerOps.Converted("Gemm"));
        int convs = context.Count(DynamicIntegerOps.Converted("Conv"));
        if (settings.EffectiveMode == QuantizationMode.Dynamic)
        {
            metadata["compression.integer_ops"] = string.Create(CultureInfo.InvariantCulture, $"{matMuls} MatMul, {gemms} Gemm, {convs} Conv integer");
            int opset = Graph.Opsets.DefaultDomainVersion(context.Pass.Model.Proto);
            if (opset < 11 && (matMuls + gemms == 0 || context.Graph.Nodes.Any(n => n.Node.OpType == "Conv")))
            {
                // The fused com.microsoft MatMul works at any opset; ConvInteger's activations need ONNX's DynamicQuantizeLinear.
                string which = matMuls + gemms == 0 ? "weights are" : "Conv weights are";
                context.Pass.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"opset {opset} has no DynamicQuantizeLinear (opset 11): {which} stored weight-only (TargetOpset=11 or later gives Conv integer ops)"));
            }
        }

        if (integer + weightOnly == 0)
        {
            throw WeightSelection.NothingSelected(context.Pass, "quantize");
        }

        string type = settings.Quantize.ToString();
        string mode = settings.EffectiveMode == QuantizationMode.Dynamic ? "dynamic" : "weight-only";
        string granularity = settings.PerChannel ? "per-channel" : "per-tensor";
        string symmetry = settings.EffectiveSymmetric ? "symmetric" : "asymmetric";
        string summary = string.Create(CultureInfo.InvariantCulture, $"{type} {mode}, {granularity} {symmetry} weights ({integer} for integer ops, {weightOnly} dequantized");
        if (folded > 0) summary += string.Create(CultureInfo.InvariantCulture, $", {folded} BatchNormalization folded");

        // WeightRange concerns int8 weights of integer MatMul/Gemm only (ConvInteger weights are stored as uint8).
        bool signedIntegerOps = settings.Quantize == QuantizationType.Int8 && matMuls + gemms > 0;
        if (signedIntegerOps && settings.WeightRange == WeightRange.Full)
        {
            // Said on the build line: this file is exact only on CPUs whose int8 kernels accumulate in 32 bits.
            summary += ", WeightRange=Full: 8-bit integer MatMul weights, exact only on VNNI/AMX/arm64 CPUs";
        }

        context.Pass.Summary.Add(summary + ")");
        if (signedIntegerOps)
        {
            metadata["compression.weight_range"] = settings.WeightRange == WeightRange.Full ? "full" : "portable";
        }

        metadata["compression.weights_integer"] = integer.ToString(CultureInfo.InvariantCulture);
        metadata["compression.weights_dequantized"] = weightOnly.ToString(CultureInfo.InvariantCulture);
        metadata["compression.batchnorm_folded"] = folded.ToString(CultureInfo.InvariantCulture);
    }
}
