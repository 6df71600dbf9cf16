using Compression.Kernels;
using Compression.Onnx.Graph;
using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>How a channel is ranked: by the norm of its output weights.</summary>
public enum ChannelNorm
{
    /// <summary>Sum of squares, square-rooted (default).</summary>
    L2,

    /// <summary>Sum of magnitudes.</summary>
    L1,
}

/// <summary>
/// Ranks the channels of a group: per producer, the L1/L2 norm of each output channel's weights, times the
/// scale of a BatchNormalization that directly follows (<c>|gamma| / sqrt(var + eps)</c>: the norm of the folded
/// kernel, which is what the next layer sees); each producer's norms are divided by their mean so that layers of
/// different scales (both sides of a residual Add) count alike, then summed.
/// </summary>
internal static class ChannelImportance
{
    public static double[] Compute(ChannelGraph graph, ChannelGroup group, ChannelNorm norm)
    {
        var total = new double[group.Size];
        foreach (ChannelProducer producer in group.Producers)
        {
            string weightName = producer.Node.Input[producer.WeightInput];
            long[] dims = graph.ConstantDims(weightName)!;
            float[] values = graph.ReadFloats(weightName);
            int channels = (int)dims[producer.OutputAxis];
            long outer = 1, inner = 1;
            for (int i = 0; i < producer.OutputAxis; i++)
            {
                outer *= dims[i];
            }

            for (int i = producer.OutputAxis + 1; i < dims.Length; i++)
            {
                inner *= dims[i];
            }

            var norms = new float[channels];
            if (norm == ChannelNorm.L1)
            {
                MagnitudeSelector.L1NormPerChannel(values, (int)outer, channels, (int)inner, norms);
            }
            else
            {
                MagnitudeSelector.L2NormPerChannel(values, (int)outer, channels, (int)inner, norms);
            }

            double[] scaled = ScaleByBatchNorm(graph, producer.Node, norms);
            double mean = scaled.Average();
            for (int c = 0; c < channels; c++)
            {
                total[c] += mean > 0 ? scaled[c] / mean : 0;
            }
        }

        return total;
    }

    /// <summary>The channels with the smallest importance, ascending by index.</summary>
    public static int[] Smallest(double[] importance, int count) =>
        [.. Enumerable.Range(0, importance.Length).OrderBy(c => importance[c]).ThenBy(c => c).Take(count).Order()];

    private static double[] ScaleByBatchNorm(ChannelGraph graph, NodeProto producer, float[] norms)
    {
        var scaled = norms.Select(n => (double)n).ToArray();
        IReadOnlyList<(NodeProto Node, int Input)> consumers = graph.ConsumersOf(producer.Output[0]);
        if (consumers is not [{ Node.OpType: "BatchNormalization", Input: 0 } only] || only.Node.Input.Count < 5
            || !graph.IsFloatConstant(only.Node.Input[1]) || !graph.IsFloatConstant(only.Node.Input[4]))
        {
            return scaled;
        }

        float[] gamma = graph.ReadFloats(only.Node.Input[1]);
        float[] variance = graph.ReadFloats(only.Node.Input[4]);
        float epsilon = only.Node.GetFloat("epsilon", 1e-5f);
        if (gamma.Length != scaled.Length || variance.Length != scaled.Length)
        {
            return scaled;
        }

        for (int c = 0; c < scaled.Length; c++)
        {
            scaled[c] *= Math.Abs(gamma[c]) / Math.Sqrt(Math.Max(variance[c], 0) + epsilon);
        }

        return scaled;
    }
}
