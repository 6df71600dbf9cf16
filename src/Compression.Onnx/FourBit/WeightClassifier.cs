using Compression.Onnx.Graph;
using Onnx;

namespace Compression.Onnx.FourBit;

/// <summary>The rules every 4-bit form shares: which float weights stay in float, and why.</summary>
internal static class WeightClassifier
{
    /// <summary>Why <paramref name="weight"/> stays in float, or <see langword="null"/> when a 4-bit form may take it.</summary>
    public static string? KeepFloatReason(Weight weight, FourBitOptions options)
    {
        if (weight.ElementType != (int)TensorProto.Types.DataType.Float)
        {
            return $"element type {weight.ElementTypeName} (only float32 weights are quantized to 4 bits)";
        }

        if (weight.ElementCount < options.MinimumWeightElements)
        {
            return $"fewer than {options.MinimumWeightElements} elements";
        }

        if (weight.Consumers.Count == 0)
        {
            return "not read by any node";
        }

        foreach (ValueUse consumer in weight.Consumers)
        {
            if (consumer.Node is null)
            {
                return "a graph output";
            }

            if (options.ExcludeOps.Contains(consumer.OpType, StringComparer.Ordinal) || options.ExcludeNodes.Contains(consumer.Node.Name, StringComparer.Ordinal))
            {
                return "excluded by ExcludeNodes/ExcludeOps";
            }

            if (IsBiasOrNormalization(consumer))
            {
                return "a bias or normalisation parameter";
            }
        }

        return weight.Dims.Count < 2 ? "one-dimensional (biases and gains stay in float)" : null;
    }

    private static bool IsBiasOrNormalization(ValueUse consumer) => consumer.OpType switch
    {
        "Conv" or "ConvTranspose" or "Gemm" => consumer.InputIndex == 2,
        "LSTM" or "GRU" or "RNN" => consumer.InputIndex >= 3,
        "BatchNormalization" or "LayerNormalization" or "InstanceNormalization" or "GroupNormalization"
            or "SkipLayerNormalization" or "SimplifiedLayerNormalization" or "RMSNormalization" => consumer.InputIndex >= 1,
        _ => false,
    };
}
