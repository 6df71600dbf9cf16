using Compression.Kernels;
using Compression.Onnx.Calibration;
using Compression.Onnx.Validation;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace Compression.Onnx.Static;

/// <summary>What calibration saw of one activation tensor.</summary>
internal sealed class ActivationStatistics
{
    public float Min { get; set; } = float.PositiveInfinity;

    public float Max { get; set; } = float.NegativeInfinity;

    /// <summary>Values over [-m, m], m = max(|Min|, |Max|); null for <see cref="CalibrationMethod.MinMax"/> or an all-zero tensor.</summary>
    public Histogram? Histogram { get; set; }

    public bool Seen => Min <= Max;
}

/// <summary>
/// Runs the float model on every calibration sample with the tensors to quantize exposed as extra outputs, and keeps only
/// running statistics: a first pass for min/max, a second (only for histogram methods) that fills a histogram per tensor
/// over the range the first found. One sample's activations are in memory at a time.
/// </summary>
internal static class ActivationCalibrator
{
    public static Dictionary<string, ActivationStatistics> Run(ModelProto floatModel, IReadOnlyCollection<string> tensors, string dataPath, CalibrationMethod method, string sourcePath, CancellationToken cancellationToken)
    {
        var augmented = floatModel.Clone();
        var existing = new HashSet<string>(augmented.Graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        foreach (string name in tensors)
        {
            if (existing.Contains(name)) continue;
            // No declared type: ONNX Runtime infers it, and a planned Add/Concat may turn out to compute int64 shapes.
            augmented.Graph.Output.Add(new ValueInfoProto { Name = name });
        }

        // Calibration may use every core (the numbers do not depend on threads); validation stays single-threaded.
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = OrtSessions.Open(augmented.ToByteArray(), options, DiagnosticCodes.OriginalModelFailsToRun,
            "The source model must load in ONNX Runtime to be calibrated; check it with onnx.checker.", sourcePath);
        var folder = SampleFolder.Open(dataPath, "CalibrationData", SampleInput.From(session));
        var stats = tensors.ToDictionary(t => t, _ => new ActivationStatistics(), StringComparer.Ordinal);
        var names = tensors.ToList();

        foreach (var sample in folder.Read(cancellationToken))
        {
            Visit(session, sample, names, dataPath, (name, values) =>
            {
                var s = stats[name];
                foreach (float v in values)
                {
                    if (float.IsFinite(v))
                    {
                        if (v < s.Min) s.Min = v;
                        if (v > s.Max) s.Max = v;
                    }
                }
            });
        }

        if (method == CalibrationMethod.MinMax) return stats;
        foreach (var s in stats.Values)
        {
            float m = Math.Max(Math.Abs(s.Min), Math.Abs(s.Max));
            if (s.Seen && m > 0) s.Histogram = new Histogram(RangeChooser.HistogramBins, -m, m);
        }

        foreach (var sample in folder.Read(cancellationToken))
        {
            Visit(session, sample, names, dataPath, (name, values) => stats[name].Histogram?.Add(values));
        }

        return stats;
    }

    private static void Visit(InferenceSession session, List<InputTensor> sample, List<string> names, string dataPath, Action<string, ReadOnlySpan<float>> use)
    {
        var values = sample.Select(i => i.ToOrtValue()).ToList();
        try
        {
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, sample.Select(i => i.Name).ToList(), values, names);
            for (int i = 0; i < names.Count; i++)
            {
                if (results[i].IsTensor && results[i].GetTensorTypeAndShape().ElementDataType == TensorElementType.Float)
                {
                    use(names[i], results[i].GetTensorDataAsSpan<float>());
                }
            }
        }
        catch (OnnxRuntimeException e)
        {
            throw new CompressionException(DiagnosticCodes.CalibrationDataRejected, $"The source model rejects a CalibrationData sample: {e.Message}", dataPath,
                "Each sample must hold values and shapes the model accepts (names, types, ranks and fixed dims are already checked).", e);
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }
}
