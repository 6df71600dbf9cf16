using System.Globalization;
using Compression.Onnx.Pipeline;
using Onnx;

namespace Compression.Onnx.Quantization;

/// <summary>
/// <c>Quantize="Float16"</c>/<c>"BFloat16"</c>, <c>Mode="WeightOnly"</c> (default): eligible float32 weights are stored in
/// 16 bits with a <c>Cast</c> back to float producing the original name, so the model computes exactly as before on
/// every CPU at half the file size.
/// </summary>
internal sealed class Float16WeightPass : ICompressionPass
{
    public CompressionStep Step => CompressionStep.Quantize;

    public bool Supports(CompressionSettings settings) =>
        settings.Quantize is QuantizationType.Float16 or QuantizationType.BFloat16 && settings.EffectiveMode == QuantizationMode.WeightOnly;

    public void Apply(CompressionContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        var index = ModelGraphIndex.Build(context.Model);
        if (settings.Quantize == QuantizationType.BFloat16 && index.Opset < 7)
        {
            throw new CompressionException(
                DiagnosticCodes.OpsetTooOld,
                string.Create(CultureInfo.InvariantCulture, $"Quantize=BFloat16 needs opset 7 or later, but the model imports opset {index.Opset}."),
                context.SourcePath,
                "Before opset 13 bfloat16 weights are decoded with arithmetic ops, and ONNX Runtime has no kernels for opset 1-6 arithmetic. Use Quantize=Float16, or convert the model to a newer opset first.");
        }

        // Fold BatchNormalization first: its statistics then need no storage at all (ONNX Runtime folds them at load anyway).
        int folded = BatchNormFolder.Fold(index, settings);
        if (folded > 0) index = ModelGraphIndex.Build(context.Model);
        var elementType = HalfPrecision.ElementType(settings.Quantize);
        int count = 0;

        // Before opset 13 Cast cannot read bfloat16: such weights are packed per graph and decoded arithmetically.
        bool packBFloat16 = settings.Quantize == QuantizationType.BFloat16 && index.Opset < 13;
        var packed = new Dictionary<GraphProto, List<(ConstantTensor, float[])>>();
        foreach (var constant in index.Constants.Values.ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!WeightSelection.IsCandidate(index, constant, settings))
            {
                continue;
            }

            float[] values = constant.ReadFloats();
            if (packBFloat16)
            {
                if (!WeightSelection.IsFinite(values)) continue;
                if (!packed.TryGetValue(constant.Graph, out var list)) packed[constant.Graph] = list = [];
                list.Add((constant, values));
                count++;
                continue;
            }

            var stored = OnnxBuilders.Tensor(index.UniqueName(constant.Name + "_" + settings.Quantize.ToString().ToLowerInvariant()), elementType, [.. constant.Tensor.Dims], HalfPrecision.Encode(values, settings.Quantize));
            var cast = OnnxBuilders.Node("Cast", index.UniqueName(constant.Name + "_Cast"), [stored.Name], [constant.Name]).With("to", (long)TensorProto.Types.DataType.Float);
            ConstantRewriter.Replace(index, constant, [stored], [cast]);
            count++;
        }

        foreach (var (graph, weights) in packed) BFloat16Decoder.Replace(index, graph, weights);
        if (packed.Count > 0) context.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"opset {index.Opset} cannot Cast bfloat16 (opset 13): weights are packed and decoded arithmetically, folded by ONNX Runtime at load"));

        if (count == 0)
        {
            throw WeightSelection.NothingSelected(context, "convert");
        }

        ValueNameCompactor.Compact(context);
        string foldNote = folded > 0 ? string.Create(CultureInfo.InvariantCulture, $", {folded} BatchNormalization folded") : string.Empty;
        context.Summary.Add(string.Create(CultureInfo.InvariantCulture, $"{settings.Quantize} weight-only ({count} weights stored in 16 bits{foldNote})"));
        context.Metadata["compression.batchnorm_folded"] = folded.ToString(CultureInfo.InvariantCulture);
        context.Metadata["compression.weights_16bit"] = count.ToString(CultureInfo.InvariantCulture);
    }
}
