using Onnx;

namespace Compression.Onnx.Quantization;

/// <summary>
/// Folds <c>BatchNormalization</c> into the <c>Conv</c> before it (as ONNX Runtime's pre-processing does), so the
/// statistics disappear instead of being quantized: <c>W' = W·γ/√(σ²+ε)</c> per output channel and
/// <c>b' = (b − μ)·γ/√(σ²+ε) + β</c>. Only inference-form BatchNormalization (one output, spatial) whose Conv output
/// feeds nothing else and whose parameters are all constants is folded.
/// </summary>
internal static class BatchNormFolder
{
    /// <summary>Folds every foldable pair; returns how many were folded. The index is stale afterwards.</summary>
    public static int Fold(ModelGraphIndex index, CompressionSettings settings)
    {
        int folded = 0;
        foreach (var (bn, graph) in index.Nodes.ToList())
        {
            if (bn.OpType != "BatchNormalization" || bn.Domain.Length != 0 || bn.Output.Count != 1 || bn.Input.Count != 5 || bn.GetInt("spatial", 1) != 1)
            {
                continue;
            }

            if (!index.Producers.TryGetValue(bn.Input[0], out var producer) || producer.Node.OpType != "Conv" || producer.Node.Domain.Length != 0
                || !ReferenceEquals(producer.Graph, graph) || ModelGraphIndex.IsExcluded(producer.Node, settings))
            {
                continue;
            }

            var conv = producer.Node;
            if (index.Uses[bn.Input[0]].Count != 1 || index.GraphOutputs.Contains(bn.Input[0]) || conv.Input.Count < 2
                || !index.Constants.TryGetValue(conv.Input[1], out var weight) || !weight.IsFloat32 || weight.Uses.Count != 1)
            {
                continue;
            }

            ConstantTensor? bias = null;
            if (conv.Input.Count > 2 && conv.Input[2].Length > 0
                && (!index.Constants.TryGetValue(conv.Input[2], out bias) || !bias.IsFloat32 || bias.Uses.Count != 1))
            {
                continue;
            }

            var stats = new float[4][];
            bool constant = true;
            for (int i = 0; i < 4 && constant; i++)
            {
                constant = index.Constants.TryGetValue(bn.Input[i + 1], out var s) && s.IsFloat32;
                if (constant) stats[i] = s!.ReadFloats();
            }

            int channels = (int)weight.Tensor.Dims[0];
            if (!constant || Array.Exists(stats, s => s.Length != channels))
            {
                continue;
            }

            float epsilon = bn.GetFloat("epsilon", 1e-5f);
            float[] w = weight.ReadFloats();
            float[] b = bias is null ? new float[channels] : bias.ReadFloats();
            int perChannel = w.Length / channels;
            for (int c = 0; c < channels; c++)
            {
                // Same arithmetic as BatchNormalization at run time: γ / sqrt(var + ε), in float.
                float factor = stats[0][c] / MathF.Sqrt(stats[3][c] + epsilon);
                for (int k = 0; k < perChannel; k++) w[c * perChannel + k] *= factor;
                b[c] = (b[c] - stats[2][c]) * factor + stats[1][c];
            }

            var newWeight = OnnxBuilders.Floats(weight.Name, [.. weight.Tensor.Dims], w);
            ReplaceTensor(weight, newWeight);
            string biasName;
            if (bias is not null)
            {
                ReplaceTensor(bias, OnnxBuilders.Floats(bias.Name, [channels], b));
                biasName = bias.Name;
            }
            else
            {
                var newBias = OnnxBuilders.Floats(index.UniqueName(conv.Output[0] + "_folded_bias"), [channels], b);
                ConstantRewriter.AddTensor(index, graph, newBias, conv);
                biasName = newBias.Name;
                while (conv.Input.Count < 3) conv.Input.Add(string.Empty);
                conv.Input[2] = biasName;
            }

            // The Conv now produces what the BatchNormalization produced; statistics nobody else reads go away.
            string oldOutput = conv.Output[0];
            conv.Output[0] = bn.Output[0];
            for (int i = graph.ValueInfo.Count - 1; i >= 0; i--)
            {
                if (graph.ValueInfo[i].Name == oldOutput) graph.ValueInfo.RemoveAt(i);
            }

            graph.Node.Remove(bn);
            for (int i = 1; i < 5; i++)
            {
                if (index.Constants.TryGetValue(bn.Input[i], out var s) && s.Uses.Count == 1 && !index.GraphOutputs.Contains(s.Name))
                {
                    ConstantRewriter.Remove(s);
                }
            }

            folded++;
        }

        return folded;
    }

    private static void ReplaceTensor(ConstantTensor constant, TensorProto replacement)
    {
        constant.Tensor.RawData = replacement.RawData;
        constant.Tensor.FloatData.Clear();
        constant.Tensor.Dims.Clear();
        constant.Tensor.Dims.AddRange(replacement.Dims);
    }
}
