using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>
/// Per-channel means of the tensors that layers read, measured by running the original model in ONNX Runtime on
/// calibration inputs with those tensors added as extra outputs (main graph only).
/// </summary>
internal static class ChannelStatistics
{
    /// <summary>Means per channel of each requested value, keyed by value name; values absent from the result could not be measured.</summary>
    public static Dictionary<string, double[]> Measure(ModelProto model, IReadOnlyDictionary<string, int> channelFromEnd, IReadOnlyList<IReadOnlyList<NamedOnnxValue>> inputs)
    {
        var probe = model.Clone();
        var outputs = new HashSet<string>(probe.Graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        var names = channelFromEnd.Keys.Where(n => !outputs.Contains(n)).ToList();
        foreach (string name in names)
        {
            probe.Graph.Output.Add(new ValueInfoProto { Name = name });
        }

        var sums = new Dictionary<string, double[]>(StringComparer.Ordinal);
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
                }

                if (sum.Length != channels)
                {
                    continue;
                }

                long index = 0;
                foreach (float value in tensor)
                {
                    sum[(int)(index / inner % channels)] += value;
                    index++;
                }

                counts[result.Name] = counts.GetValueOrDefault(result.Name) + (index / channels);
            }
        }

        return sums.Where(s => counts.GetValueOrDefault(s.Key) > 0)
            .ToDictionary(s => s.Key, s => s.Value.Select(v => v / counts[s.Key]).ToArray(), StringComparer.Ordinal);
    }
}
