using Compression.Onnx.Graph;
using Onnx;

namespace Compression.Onnx.FourBit;

/// <summary>Decides how each float weight can be stored in 4 bits, from its shape and the nodes that read it.</summary>
internal static class WeightClassifier
{
    public static WeightRole Classify(Weight weight, FourBitOptions options, out string reason)
    {
        reason = string.Empty;
        if (weight.ElementType != (int)TensorProto.Types.DataType.Float)
        {
            reason = $"element type {weight.ElementTypeName} (only float32 weights are quantized to 4 bits)";
            return WeightRole.KeepFloat;
        }

        if (weight.ElementCount < options.MinimumWeightElements)
        {
            reason = $"fewer than {options.MinimumWeightElements} elements";
            return WeightRole.KeepFloat;
        }

        if (weight.Consumers.Count == 0)
        {
            reason = "not read by any node";
            return WeightRole.KeepFloat;
        }

        foreach (WeightConsumer consumer in weight.Consumers)
        {
            if (consumer.Node is null)
            {
                reason = "a graph output";
                return WeightRole.KeepFloat;
            }

            if (options.ExcludeOps.Contains(consumer.OpType, StringComparer.Ordinal) || options.ExcludeNodes.Contains(consumer.Node.Name, StringComparer.Ordinal))
            {
                reason = "excluded by ExcludeNodes/ExcludeOps";
                return WeightRole.KeepFloat;
            }

            if (IsBiasOrNormalization(consumer))
            {
                reason = "a bias or normalisation parameter";
                return WeightRole.KeepFloat;
            }
        }

        if (weight.Dims.Count < 2)
        {
            reason = "one-dimensional (biases and gains stay in float)";
            return WeightRole.KeepFloat;
        }

        if (weight.Dims.Count == 2 && weight.Consumers.All(IsMatMulB) && weight.Consumers.Select(TransposedB).Distinct().Count() == 1)
        {
            return WeightRole.MatMulB;
        }

        if (weight.Dims.Count == 2 && weight.Dims[1] % 2 == 0 && weight.Consumers.All(IsEmbeddingLookup))
        {
            return WeightRole.Embedding;
        }

        return WeightRole.Other;
    }

    /// <summary>Whether the consumer is a Gemm with <c>transB=1</c> (B stored <c>[N, K]</c>).</summary>
    public static bool TransposedB(WeightConsumer consumer) =>
        consumer.OpType == "Gemm" && NodeAttributes.GetInt(consumer.Node!, "transB", 0) != 0;

    private static bool IsDefaultDomain(WeightConsumer consumer) => consumer.Domain is "" or "ai.onnx";

    private static bool IsMatMulB(WeightConsumer consumer) =>
        IsDefaultDomain(consumer) && consumer.InputIndex == 1 && (consumer.OpType == "MatMul"
            || (consumer.OpType == "Gemm" && NodeAttributes.GetInt(consumer.Node!, "transA", 0) == 0));

    private static bool IsEmbeddingLookup(WeightConsumer consumer) =>
        IsDefaultDomain(consumer) && consumer.OpType == "Gather" && consumer.InputIndex == 0 && NodeAttributes.GetInt(consumer.Node!, "axis", 0) == 0;

    private static bool IsBiasOrNormalization(WeightConsumer consumer) => consumer.OpType switch
    {
        "Conv" or "ConvTranspose" or "Gemm" => consumer.InputIndex == 2,
        "LSTM" or "GRU" or "RNN" => consumer.InputIndex >= 3,
        "BatchNormalization" or "LayerNormalization" or "InstanceNormalization" or "GroupNormalization"
            or "SkipLayerNormalization" or "SimplifiedLayerNormalization" or "RMSNormalization" => consumer.InputIndex >= 1,
        _ => false,
    };
}
