using Compression.Onnx.Calibration;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Onnx.Validation;

/// <summary>One output of a run: its values as doubles and its shape.</summary>
internal readonly record struct OrtOutput(double[] Values, long[] Shape);

/// <summary>Opening sessions with coded errors and running them on <see cref="InputTensor"/> lists, for validation and calibration.</summary>
internal static class OrtSessions
{
    public const string CompressedModelHelp =
        "This is a defect of the compression for this model: report it, and meanwhile exclude the failing nodes (ExcludeNodes/ExcludeOps) or choose another Quantize setting.";

    /// <summary>One thread, errors only: validation numbers and timings do not depend on the machine's load balancing.</summary>
    public static SessionOptions SingleThreaded() => new() { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };

    public static InferenceSession Open(string path, SessionOptions options, string code, string help)
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

    public static InferenceSession Open(byte[] model, SessionOptions options, string code, string help, string path)
    {
        try
        {
            return new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new CompressionException(code, $"ONNX Runtime cannot load the model: {e.Message}", path, help, e);
        }
    }

    /// <summary>Runs <paramref name="session"/> and returns every tensor output by name.</summary>
    public static Dictionary<string, OrtOutput> Run(InferenceSession session, IReadOnlyList<InputTensor> inputs) => Run(session, inputs, session.OutputNames);

    public static Dictionary<string, OrtOutput> Run(InferenceSession session, IReadOnlyList<InputTensor> inputs, IReadOnlyCollection<string> outputNames)
    {
        var values = inputs.Select(i => i.ToOrtValue()).ToList();
        try
        {
            using var runOptions = new RunOptions();
            var names = outputNames.ToList();
            using var results = session.Run(runOptions, inputs.Select(i => i.Name).ToList(), values, names);
            var outputs = new Dictionary<string, OrtOutput>(StringComparer.Ordinal);
            for (int i = 0; i < names.Count; i++)
            {
                if (results[i].IsTensor) outputs[names[i]] = new OrtOutput(ToDoubles(results[i]), results[i].GetTensorTypeAndShape().Shape);
            }

            return outputs;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>Any numeric tensor as doubles (booleans as 0/1); other types compare as empty.</summary>
    public static double[] ToDoubles(OrtValue value)
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
}
