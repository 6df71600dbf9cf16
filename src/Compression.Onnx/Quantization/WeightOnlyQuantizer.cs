namespace Compression.Onnx.Quantization;

/// <summary>
/// Weight-only 8-bit quantization: every eligible float weight, read by any op, is stored as int8/uint8 and expanded
/// back to float by a <see cref="DequantizeEmitter"/> chain producing the original name, so readers are untouched.
/// </summary>
internal static class WeightOnlyQuantizer
{
    /// <summary>Quantizes the candidates not in <paramref name="skip"/>; returns how many weights were quantized.</summary>
    public static int Run(ModelGraphIndex index, CompressionSettings settings, ISet<string> skip, CancellationToken cancellationToken)
    {
        bool signed = settings.Quantize == QuantizationType.Int8;
        int count = 0;
        foreach (var constant in index.Constants.Values.ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (skip.Contains(constant.Name) || !WeightSelection.IsCandidate(index, constant, settings))
            {
                continue;
            }

            float[] values = InterimTensors.ReadFloats(constant.Tensor);
            if (!WeightSelection.IsFinite(values))
            {
                continue;
            }

            int? axis = WeightSelection.ChannelAxis(constant, settings.PerChannel);
            var weight = QuantizedWeight.Quantize(values, [.. constant.Tensor.Dims], axis, signed, settings.EffectiveSymmetric);
            var (tensors, nodes) = DequantizeEmitter.Emit(index, weight, constant.Name);
            ConstantRewriter.Replace(index, constant, tensors, nodes);
            count++;
        }

        return count;
    }
}
