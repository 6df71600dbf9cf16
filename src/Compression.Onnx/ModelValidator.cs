using Compression.Onnx.Calibration;
using Compression.Onnx.Validation;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Onnx;

/// <summary>
/// Runs an original and a compressed model in ONNX Runtime (CPU) on the same inputs and measures, per output, the
/// largest and mean absolute difference, the cosine similarity and the argmax agreement. Inputs come from a sample
/// folder (ONNX test-data or numpy layout, read one set at a time) or are synthesised from the signature (rules in
/// <c>docs/diagnostics.md</c>, CMP4010).
/// </summary>
public static class ModelValidator
{
    /// <summary>Compares <paramref name="compressedPath"/> with <paramref name="originalPath"/>.</summary>
    /// <param name="originalPath">The source model.</param>
    /// <param name="compressedPath">The compressed model.</param>
    /// <param name="validationDataPath">A folder of <c>test_data_set_*/input_*.pb</c> or <c>set_*/INPUT.npy</c>, or <see langword="null"/> to synthesise inputs.</param>
    /// <param name="sampleCount">How many inputs to synthesise when there is no folder.</param>
    /// <param name="cancellationToken">Stops between runs.</param>
    /// <exception cref="CompressionException">CMP4010 the original does not load; CMP4011 the compressed model does not load or run; CMP4013 the original rejects the data; CMP420x bad data files.</exception>
    public static ValidationReport Validate(string originalPath, string compressedPath, string? validationDataPath = null, int sampleCount = 4, CancellationToken cancellationToken = default) =>
        Validate(originalPath, compressedPath, validationDataPath, "ValidationData", sampleCount, cancellationToken);

    /// <summary>As the public overload; <paramref name="setting"/> names where the folder came from (ValidationData or CalibrationData).</summary>
    internal static ValidationReport Validate(string originalPath, string compressedPath, string? dataPath, string setting, int sampleCount, CancellationToken cancellationToken)
    {
        using var options = OrtSessions.SingleThreaded();
        using var original = OrtSessions.Open(originalPath, options, DiagnosticCodes.OriginalModelFailsToRun, "The source model must load in ONNX Runtime to be validated; check it with onnx.checker or set Validate=false.");
        using var compressed = OrtSessions.Open(compressedPath, options, DiagnosticCodes.CompressedModelFailsToRun, OrtSessions.CompressedModelHelp);

        IEnumerable<List<InputTensor>> samples;
        string source;
        IReadOnlyList<string> synthesisedIntegers = [];
        if (dataPath is not null)
        {
            source = dataPath;
            samples = SampleFolder.Open(dataPath, setting, SampleInput.From(original)).Read(cancellationToken);
        }
        else
        {
            source = "synthesised";
            if (PickStrategy(original, out string? failure) is not int strategy)
            {
                return new ValidationReport(0, source, [], $"the source model rejects inputs synthesised from its signature ({failure}); give ValidationData to validate this model");
            }

            samples = Enumerable.Range(0, Math.Max(1, sampleCount)).Select(i => InputSynthesizer.Create(original, i, strategy));
            synthesisedIntegers = original.InputNames.Where(n => IsInteger(original.InputMetadata[n].ElementDataType)).ToList();
        }

        var stats = new Dictionary<string, DeviationAccumulator>(StringComparer.Ordinal);
        int count = 0;
        foreach (var sample in samples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Dictionary<string, OrtOutput> expected;
            try
            {
                expected = OrtSessions.Run(original, sample);
            }
            catch (OnnxRuntimeException e)
            {
                throw new CompressionException(DiagnosticCodes.InvalidValidationData, $"The source model rejects the {setting} sample: {e.Message}", source,
                    "Each sample must hold one tensor per model input with the input's element type and a shape the model accepts.", e);
            }

            Dictionary<string, OrtOutput> actual;
            try
            {
                actual = OrtSessions.Run(compressed, sample);
            }
            catch (OnnxRuntimeException e)
            {
                throw new CompressionException(DiagnosticCodes.CompressedModelFailsToRun, $"The compressed model fails to run in ONNX Runtime: {e.Message}", compressedPath, OrtSessions.CompressedModelHelp, e);
            }

            foreach (var (name, want) in expected)
            {
                if (!stats.TryGetValue(name, out var acc)) stats[name] = acc = new DeviationAccumulator();
                acc.Add(want.Values, actual.TryGetValue(name, out var got) ? got.Values : [], want.Shape, name, compressedPath);
            }

            count++;
        }

        var outputs = original.OutputNames.Where(stats.ContainsKey).Select(n => stats[n].ToDeviation(n)).ToList();
        return new ValidationReport(count, source, outputs) { SynthesisedIntegerInputs = synthesisedIntegers };
    }

    /// <summary>The first synthesis strategy whose first sample the original model accepts, or null with the first failure.</summary>
    private static int? PickStrategy(InferenceSession original, out string? failure)
    {
        failure = null;
        foreach (int strategy in InputSynthesizer.Strategies)
        {
            try
            {
                OrtSessions.Run(original, InputSynthesizer.Create(original, 0, strategy));
                return strategy;
            }
            catch (Exception e) when (e is OnnxRuntimeException or NotSupportedException)
            {
                // Report the first strategy's reason: it is the documented rule, the others are fallbacks.
                failure ??= e.Message;
            }
        }

        return null;
    }

    private static bool IsInteger(TensorElementType type) =>
        type is TensorElementType.Int8 or TensorElementType.UInt8 or TensorElementType.Int16 or TensorElementType.UInt16 or TensorElementType.Int32
            or TensorElementType.UInt32 or TensorElementType.Int64 or TensorElementType.UInt64 or TensorElementType.Bool;

    /// <summary>Any numeric tensor as doubles (booleans as 0/1); other types compare as empty.</summary>
    internal static double[] ToDoubles(OrtValue value) => OrtSessions.ToDoubles(value);
}
