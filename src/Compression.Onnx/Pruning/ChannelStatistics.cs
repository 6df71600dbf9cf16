using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>Per-channel mean and variance of one tensor over calibration inputs (all axes but the channel axis).</summary>
internal sealed record ChannelMoments(double[] Mean, double[] Variance);

/// <summary>
/// Per-channel means and variances of the tensors that layers read, measured by running the original model in ONNX Runtime on
/// calibration inputs with those tensors added as extra outputs (main graph only).
/// </summary>
internal static class ChannelStatistics
{
    /// <summary>Means per channel of each requested value, keyed by value name; values absent from the result could not be measured.</summary>
    public static Dictionary<string, ChannelMoments> Measure(ModelProto model, IReadOnlyDictionary<string, int> channelFromEnd, IReadOnlyList<IReadOnlyList<NamedOnnxValue>> inputs)
    {
        var probe = model.Clone();
        var outputs = new HashSet<string>(probe.Graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        var names = channelFromEnd.Keys.Where(n => !outputs.Contains(n)).ToList();
        foreach (string name in names)
        {
            probe.Graph.Output.Add(new ValueInfoProto { Name = name });
        }

        var sums = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var squares = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(probe.ToByteArray(), options);
        foreach (IReadOnlyList<NamedOnnxValue> sample in inputs)
        {
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(sample, names);
            foreach (DisposableNamedOnnxValue result in results)
            {
                if (result.Value is not Microsoft.ML.OnnxRuntime.Tensors.Tensor<float> tensor)
                {
                    continue;
                }

                ReadOnlySpan<int> dims = tensor.Dimensions;
                int axis = dims.Length - channelFromEnd[result.Name];
                if (axis < 0)
                {
                    continue;
                }

                int channels = dims[axis];
                long inner = 1;
                for (int i = axis + 1; i < dims.Length; i++)
                {
                    inner *= dims[i];
                }

                if (!sums.TryGetValue(result.Name, out double[]? sum))
                {
                    sums[result.Name] = sum = new double[channels];
                    squares[result.Name] = new double[channels];
                }

                double[] square = squares[result.Name];

                if (sum.Length != channels)
                {
                    continue;
                }

                long index = 0;
                foreach (float value in tensor)
                {
                    int channel = (int)(index / inner % channels);
                    sum[channel] += value;
                    square[channel] += (double)value * value;
                    index++;
                }

                counts[result.Name] = counts.GetValueOrDefault(result.Name) + (index / channels);
            }
        }

        var moments = new Dictionary<string, ChannelMoments>(StringComparer.Ordinal);
        foreach ((string name, double[] sum) in sums)
        {
            long count = counts.GetValueOrDefault(name);
            if (count == 0)
            {
                continue;
            }

            double[] mean = sum.Select(v => v / count).ToArray();
            double[] variance = squares[name].Select((q, c) => Math.Max(0, (q / count) - (mean[c] * mean[c]))).ToArray();
            moments[name] = new ChannelMoments(mean, variance);
        }

        return moments;
    }
}
