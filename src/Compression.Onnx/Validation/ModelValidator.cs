using System.Globalization;
using Compression.Onnx.Validation;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Onnx;

/// <summary>
/// Runs an original and a compressed model in ONNX Runtime (CPU) on the same inputs and measures, per output, the
/// largest and mean absolute difference and the cosine similarity. Inputs come from a folder in ONNX test-data
/// layout or are synthesised from the signature (rules in <c>docs/diagnostics.md</c>, CMP4010).
/// </summary>
public static class ModelValidator
{
    /// <summary>Compares <paramref name="compressedPath"/> with <paramref name="originalPath"/>.</summary>
    /// <param name="originalPath">The source model.</param>
    /// <param name="compressedPath">The compressed model.</param>
    /// <param name="validationDataPath">A folder of <c>test_data_set_*/input_*.pb</c>, or <see langword="null"/> to synthesise inputs.</param>
    /// <param name="sampleCount">How many inputs to synthesise when there is no folder.</param>
    /// <param name="cancellationToken">Stops between runs.</param>
    /// <exception cref="CompressionException">CMP4010 the original does not load or rejects the given data; CMP4011 the compressed model does not load or run; CMP4013 bad validation data.</exception>
    public static ValidationReport Validate(string originalPath, string compressedPath, string? validationDataPath = null, int sampleCount = 4, CancellationToken cancellationToken = default)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var original = Open(originalPath, options, DiagnosticCodes.OriginalModelFailsToRun, "The source model must load in ONNX Runtime to be validated; check it with onnx.checker or set Validate=false.");
        using var compressed = Open(compressedPath, options, DiagnosticCodes.CompressedModelFailsToRun, "This is a defect of the compression for this model: report it, and meanwhile exclude the failing nodes (ExcludeNodes/ExcludeOps) or choose another Quantize setting.");

        List<List<InputTensor>> inputSets;
        List<Dictionary<string, double[]>> expected = [];
        string source;
        if (validationDataPath is not null)
        {
            source = validationDataPath;
            inputSets = TestDataReader.Read(validationDataPath, original.InputNames);
            foreach (var set in inputSets)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    expected.Add(Run(original, set));
                }
                catch (OnnxRuntimeException e)
                {
                    throw new CompressionException(DiagnosticCodes.InvalidValidationData, $"The source model rejects the validation data: {e.Message}", validationDataPath,
                        "Each test_data_set_* must hold one tensor per model input with the input's element type and a shape the model accepts.", e);
                }
            }
        }
        else
        {
            source = "synthesised";
            inputSets = [];
            string? failure = null;
            foreach (int strategy in InputSynthesizer.Strategies)
            {
                try
                {
                    inputSets.Clear();
                    expected.Clear();
                    for (int i = 0; i < Math.Max(1, sampleCount); i++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var set = InputSynthesizer.Create(original, i, strategy);
                        expected.Add(Run(original, set));
                        inputSets.Add(set);
                    }

                    failure = null;
                    break;
                }
                catch (Exception e) when (e is OnnxRuntimeException or NotSupportedException)
                {
                    // Report the first strategy's reason: it is the documented rule, the others are fallbacks.
                    failure ??= e.Message;
                }
            }

            if (failure is not null)
            {
                return new ValidationReport(0, source, [], $"the source model rejects inputs synthesised from its signature ({failure}); give ValidationData to validate this model");
            }
        }

        var stats = new Dictionary<string, DeviationAccumulator>(StringComparer.Ordinal);
        for (int s = 0; s < inputSets.Count; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Dictionary<string, double[]> actual;
            try
            {
                actual = Run(compressed, inputSets[s]);
            }
            catch (OnnxRuntimeException e)
            {
                throw new CompressionException(DiagnosticCodes.CompressedModelFailsToRun, $"The compressed model fails to run in ONNX Runtime: {e.Message}", compressedPath,
                    "This is a defect of the compression for this model: report it, and meanwhile exclude the failing nodes (ExcludeNodes/ExcludeOps) or choose another Quantize setting.", e);
            }

            foreach (var (name, want) in expected[s])
            {
                if (!stats.TryGetValue(name, out var acc)) stats[name] = acc = new DeviationAccumulator();
                acc.Add(want, actual.TryGetValue(name, out var got) ? got : [], name, compressedPath);
            }
        }

        var outputs = original.OutputNames.Where(stats.ContainsKey).Select(n => stats[n].ToDeviation(n)).ToList();
        return new ValidationReport(inputSets.Count, source, outputs);
    }

    private static InferenceSession Open(string path, SessionOptions options, string code, string help)
    {
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new CompressionException(code, $"ONNX Runtime cannot load the model: {e.Message}", path, help, e);
        }
    }

    private static Dictionary<string, double[]> Run(InferenceSession session, List<InputTensor> inputs)
    {
        var values = inputs.Select(i => i.ToOrtValue()).ToList();
        try
        {
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, inputs.Select(i => i.Name).ToList(), values, session.OutputNames);
            var outputs = new Dictionary<string, double[]>(StringComparer.Ordinal);
            for (int i = 0; i < session.OutputNames.Count; i++)
            {
                if (results[i].IsTensor) outputs[session.OutputNames[i]] = ToDoubles(results[i]);
            }

            return outputs;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>Any numeric tensor as doubles (booleans as 0/1); other types compare as empty.</summary>
    internal static double[] ToDoubles(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        return info.ElementDataType switch
        {
            TensorElementType.Float => Convert(value.GetTensorDataAsSpan<float>(), v => v),
            TensorElementType.Double => value.GetTensorDataAsSpan<double>().ToArray(),
            TensorElementType.Float16 => Convert(value.GetTensorDataAsSpan<Float16>(), v => (float)v),
            TensorElementType.BFloat16 => Convert(value.GetTensorDataAsSpan<BFloat16>(), v => (float)v),
            TensorElementType.Int8 => Convert(value.GetTensorDataAsSpan<sbyte>(), v => v),
            TensorElementType.UInt8 => Convert(value.GetTensorDataAsSpan<byte>(), v => v),
            TensorElementType.Int16 => Convert(value.GetTensorDataAsSpan<short>(), v => v),
            TensorElementType.UInt16 => Convert(value.GetTensorDataAsSpan<ushort>(), v => v),
            TensorElementType.Int32 => Convert(value.GetTensorDataAsSpan<int>(), v => v),
            TensorElementType.UInt32 => Convert(value.GetTensorDataAsSpan<uint>(), v => v),
            TensorElementType.Int64 => Convert(value.GetTensorDataAsSpan<long>(), v => v),
            TensorElementType.UInt64 => Convert(value.GetTensorDataAsSpan<ulong>(), v => v),
            TensorElementType.Bool => Convert(value.GetTensorDataAsSpan<bool>(), v => v ? 1 : 0),
            _ => [],
        };
    }

    private static double[] Convert<T>(ReadOnlySpan<T> span, Func<T, double> convert)
    {
        var result = new double[span.Length];
        for (int i = 0; i < span.Length; i++) result[i] = convert(span[i]);
        return result;
    }

    /// <summary>Running max/mean |d| and the worst per-input cosine of one output.</summary>
    private sealed class DeviationAccumulator
    {
        private double _max;
        private double _sum;
        private long _count;
        private double _minCosine = 1;

        public void Add(double[] expected, double[] actual, string name, string path)
        {
            if (expected.Length != actual.Length)
            {
                throw new CompressionException(DiagnosticCodes.CompressedModelFailsToRun,
                    string.Create(CultureInfo.InvariantCulture, $"Output '{name}' has {actual.Length} elements in the compressed model but {expected.Length} in the original."), path,
                    "The compression changed the output's shape: report it, and meanwhile exclude the nodes feeding that output.");
            }

            double dot = 0, ee = 0, aa = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                double d = Math.Abs(expected[i] - actual[i]);
                if (double.IsNaN(d)) d = double.IsNaN(expected[i]) && double.IsNaN(actual[i]) ? 0 : double.PositiveInfinity;
                _max = Math.Max(_max, d);
                _sum += d;
                dot += expected[i] * actual[i];
                ee += expected[i] * expected[i];
                aa += actual[i] * actual[i];
            }

            _count += expected.Length;
            double cosine = ee == 0 && aa == 0 ? 1 : ee == 0 || aa == 0 ? 0 : dot / Math.Sqrt(ee * aa);
            _minCosine = Math.Min(_minCosine, double.IsNaN(cosine) ? 0 : cosine);
        }

        public OutputDeviation ToDeviation(string name) => new(name, _max, _count == 0 ? 0 : _sum / _count, _minCosine, _count);
    }
}
