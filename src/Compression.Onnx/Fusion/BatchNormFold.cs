using Compression.Onnx.Graph;
using Compression.Onnx.Passes;
using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.Fusion;

/// <summary>
/// Folds <c>BatchNormalization</c> into the <c>Conv</c> before it (as ONNX Runtime's pre-processing does), so the
/// statistics disappear instead of being quantized: <c>W' = W·γ/√(σ²+ε)</c> per output channel and
/// <c>b' = (b − μ)·γ/√(σ²+ε) + β</c>. Only inference-form BatchNormalization (one output, spatial) whose Conv output
/// feeds nothing else and whose parameters are all constants is folded. The Conv then produces the BatchNormalization's
/// output, so the rewrite rebuilds the graph model when it folded anything.
/// </summary>
internal sealed class BatchNormFold : IRewrite
{
    /// <summary>The count the rewrite records: BatchNormalization nodes folded.</summary>
    public const string Folded = "BatchNormalization folded";

    private const string OpType = "BatchNormalization";

    public void Apply(RewriteContext context, CancellationToken cancellationToken)
    {
        var graph = context.Graph;
        int folded = 0;
        foreach (var (bn, owner) in graph.Nodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (bn.OpType == OpType && TryFold(graph, bn, owner, context.Settings))
            {
                folded++;
            }
        }

        context.Record(Folded, folded);
        if (folded > 0)
        {
            context.GraphChanged();
        }
    }

    private static bool TryFold(ModelGraph model, NodeProto bn, GraphProto graph, CompressionSettings settings)
    {
        if (bn.Domain.Length != 0 || bn.Output.Count != 1 || bn.Input.Count != 5 || bn.GetInt("spatial", 1) != 1)
        {
            return false;
        }

        if (model.ProducerOf(bn.Input[0]) is not { } producer || producer.Node.OpType != "Conv" || producer.Node.Domain.Length != 0
            || !ReferenceEquals(producer.Graph, graph) || ModelGraph.IsExcluded(producer.Node, settings))
        {
            return false;
        }

        var conv = producer.Node;
        if (model.UsesOf(bn.Input[0]).Count != 1 || model.IsGraphOutput(bn.Input[0]) || conv.Input.Count < 2
            || !model.Constants.TryGetValue(conv.Input[1], out var weight) || !weight.IsFloat32 || weight.Readers.Count != 1)
        {
            return false;
        }

        Weight? bias = null;
        if (conv.Input.Count > 2 && conv.Input[2].Length > 0
            && (!model.Constants.TryGetValue(conv.Input[2], out bias) || !bias.IsFloat32 || bias.Readers.Count != 1))
        {
            return false;
        }

        var stats = new float[4][];
        for (int i = 0; i < 4; i++)
        {
            if (!model.Constants.TryGetValue(bn.Input[i + 1], out var s) || !s.IsFloat32)
            {
                return false;
            }

            stats[i] = s.ReadFloats();
        }

        int channels = (int)weight.Dims[0];
        if (Array.Exists(stats, s => s.Length != channels))
        {
            return false;
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

        Overwrite(weight, TensorData.CreateFloat(weight.Name, [.. weight.Dims], w));
        if (bias is not null)
        {
            Overwrite(bias, TensorData.CreateFloat(bias.Name, [channels], b));
        }
        else
        {
            var newBias = TensorData.CreateFloat(model.UniqueName(conv.Output[0] + "_folded_bias"), [channels], b);
            model.AddTensor(graph, newBias, conv);
            while (conv.Input.Count < 3) conv.Input.Add(string.Empty);
            conv.Input[2] = newBias.Name;
        }

        // The Conv now produces what the BatchNormalization produced; statistics nobody else reads go away.
        string oldOutput = conv.Output[0];
        conv.Output[0] = bn.Output[0];
        GraphEditing.RemoveDeclaredType(graph, oldOutput);
        graph.Node.Remove(bn);
        for (int i = 1; i < 5; i++)
        {
            if (model.Constants.TryGetValue(bn.Input[i], out var s) && s.Readers.Count == 1 && !model.IsGraphOutput(s.Name))
            {
                ModelGraph.RemoveWeight(s);
            }
        }

        return true;
    }

    /// <summary>Writes the folded values into the stored tensor itself (keeping its storage, data layout and declared type).</summary>
    private static void Overwrite(Weight constant, TensorProto replacement)
    {
        constant.Tensor!.RawData = replacement.RawData;
        constant.Tensor.FloatData.Clear();
        constant.Tensor.Dims.Clear();
        constant.Tensor.Dims.AddRange(replacement.Dims);
    }
}
