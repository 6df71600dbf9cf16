namespace Compression.Onnx.Validation.Tolerance;

/// <summary>
/// Validation as the pipeline runs it: on <c>ValidationData</c>, else <c>CalibrationData</c>, else synthesised inputs;
/// then the <c>Tolerance</c> budget, whose miss is CMP4012 naming the output, the metric and the value. The build
/// runs it on the file it just wrote; <c>compress-model validate</c> runs it on two files.
/// </summary>
public static class AccuracyCheck
{
    /// <summary>The fix a CMP4012 suggests.</summary>
    public const string MissHelp =
        "Loosen Tolerance, keep sensitive nodes in float with ExcludeNodes/ExcludeOps, use Mode=WeightOnly, or a wider type (UInt8 -> Int8 per-channel, Int8 -> Float16).";

    /// <summary>Runs both models on the validation inputs the settings name and checks the <c>Tolerance</c> budget, without failing on a miss.</summary>
    /// <param name="sourcePath">The original model.</param>
    /// <param name="compressedPath">The compressed model (<c>.onnx</c> or <c>.ort</c>).</param>
    /// <param name="settings">Where the inputs come from (<see cref="CompressionSettings.ValidationDataPath"/>, <see cref="CompressionSettings.CalibrationDataPath"/>, <see cref="CompressionSettings.ValidationSampleCount"/>) and the budget (<see cref="CompressionSettings.Tolerance"/>).</param>
    /// <param name="cancellationToken">Stops between runs.</param>
    /// <returns>The deviations, the budget's misses and warnings.</returns>
    /// <exception cref="CompressionException">CMP4010/4011/4013 a model does not load or rejects the inputs; CMP420x bad data files; CMP4210 a malformed budget.</exception>
    public static AccuracyResult Measure(string sourcePath, string compressedPath, CompressionSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var budget = settings.Tolerance is { } text ? AccuracyBudget.Parse(text, sourcePath) : null;
        (string? folder, string setting) = settings.ValidationDataPath is { } v ? (v, "ValidationData")
            : settings.CalibrationDataPath is { } c ? (c, "CalibrationData") : ((string?)null, "ValidationData");
        var report = ModelValidator.Validate(sourcePath, compressedPath, folder, setting, settings.ValidationSampleCount, cancellationToken);
        if (budget is null || report.SkippedReason is not null) return new AccuracyResult(report, budget, [], [], sourcePath);

        var warnings = new List<CompressionWarning>();
        if (report.SynthesisedIntegerInputs.Count > 0)
        {
            warnings.Add(new CompressionWarning(DiagnosticCodes.ToleranceOnSynthesisedInputs,
                $"Tolerance was checked on synthesised inputs, and the integer inputs ({string.Join(", ", report.SynthesisedIntegerInputs)}) were all 0: the check proves little about real use.",
                "Give ValidationData (or CalibrationData) with real inputs: test_data_set_<n>/input_<k>.pb or set_<n>/<INPUT>.npy."));
        }

        return new AccuracyResult(report, budget, budget.Check(report.Outputs, sourcePath), warnings, sourcePath);
    }

    /// <summary>As <see cref="Measure"/>, and a miss of the budget is CMP4012.</summary>
    internal static ValidationReport Validate(string sourcePath, string compressedPath, CompressionSettings settings, List<CompressionWarning> warnings, CancellationToken cancellationToken)
    {
        AccuracyResult result = Measure(sourcePath, compressedPath, settings, cancellationToken);
        warnings.AddRange(result.Warnings);
        return result.MissError() is { } miss ? throw miss : result.Report;
    }
}
