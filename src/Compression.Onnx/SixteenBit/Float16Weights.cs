using System.Globalization;
using Compression.Onnx.Graph;
using Compression.Onnx.Passes;
using Compression.Onnx.Quantization;
using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.SixteenBit;

/// <summary>
/// Stores each eligible float32 weight (<see cref="WeightSelection.IsCandidate"/>) as float16 or bfloat16 with a
/// <c>Cast</c> back to float producing the original name. Before opset 13 <c>Cast</c> cannot read bfloat16: such
/// weights are packed per graph and decoded arithmetically (<see cref="BFloat16Decoder"/>).
/// </summary>
internal sealed class Float16Weights : IRewrite
{
    /// <summary>The count the rewrite records: weights stored in 16 bits.</summary>
    public const string Converted = "weights stored in 16 bits";

    public void Apply(RewriteContext context, CancellationToken cancellationToken)
    {
        var model = context.Graph;
        var settings = context.Settings;
        var elementType = HalfPrecision.ElementType(settings.Quantize);
        bool packBFloat16 = settings.Quantize == QuantizationType.BFloat16 && model.Opset < 13;
        var packed = new Dictionary<GraphProto, List<(Weight, float[])>>(ReferenceEqualityComparer.Instance);
        int count = 0;
        foreach (var constant in model.Constants.Values.ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (context.IsClaimed(constant.Name) || !WeightSelection.IsCandidate(constant, settings))
            {
                continue;
            }

            float[] values = constant.ReadFloats();
            if (packBFloat16)
            {
                if (!WeightSelection.IsFinite(values)) continue;
                if (!packed.TryGetValue(constant.Graph, out var list)) packed[constant.Graph] = list = [];
                list.Add((constant, values));
                context.Claim(constant.Name);
                count++;
                continue;
            }

            string suffix = "_" + settings.Quantize.ToString().ToLowerInvariant();
            var stored = TensorData.CreateFromRawBytes(model.UniqueName(constant.Name + suffix), (int)elementType, [.. constant.Dims], HalfPrecision.Encode(values, settings.Quantize));
            var cast = NodeBuilder.Node("Cast", model.UniqueName(constant.Name + "_Cast"), [stored.Name], [constant.Name]).With("to", (long)TensorProto.Types.DataType.Float);
            model.ReplaceWeight(constant, [stored], [cast]);
            context.Claim(constant.Name);
            context.Claim(stored.Name);
            count++;
        }

        foreach (var (graph, weights) in packed) BFloat16Decoder.Replace(model, graph, weights);
        if (packed.Count > 0)
        {
            context.Pass.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"opset {model.Opset} cannot Cast bfloat16 (opset 13): weights are packed and decoded arithmetically, folded by ONNX Runtime at load"));
        }

        context.Record(Converted, count);
    }
}
