using System.Globalization;

namespace Compression.Onnx.Validation.Tolerance;

/// <summary>
/// Validation as the pipeline runs it: on <c>ValidationData</c>, else <c>CalibrationData</c>, else synthesised inputs;
/// then the <c>Tolerance</c> budget, whose miss is CMP4012 naming the output, the metric and the value.
/// </summary>
internal static class AccuracyCheck
{
    public const string MissHelp =
        "Loosen Tolerance, keep sensitive nodes in float with ExcludeNodes/ExcludeOps, use Mode=WeightOnly, or a wider type (UInt8 -> Int8 per-channel, Int8 -> Float16).";

    public static ValidationReport Validate(string sourcePath, string compressedPath, CompressionSettings settings, List<CompressionWarning> warnings, CancellationToken cancellationToken)
    {
        var budget = settings.Tolerance is { } text ? AccuracyBudget.Parse(text, sourcePath) : null;
        (string? folder, string setting) = settings.ValidationDataPath is { } v ? (v, "ValidationData")
            : settings.CalibrationDataPath is { } c ? (c, "CalibrationData") : ((string?)null, "ValidationData");
        var report = ModelValidator.Validate(sourcePath, compressedPath, folder, setting, settings.ValidationSampleCount, cancellationToken);
        if (budget is null || report.SkippedReason is not null) return report;

        if (report.SynthesisedIntegerInputs.Count > 0)
        {
            warnings.Add(new CompressionWarning(DiagnosticCodes.ToleranceOnSynthesisedInputs,
                $"Tolerance was checked on synthesised inputs, and the integer inputs ({string.Join(", ", report.SynthesisedIntegerInputs)}) were all 0: the check proves little about real use.",
                "Give ValidationData (or CalibrationData) with real inputs: test_data_set_<n>/input_<k>.pb or set_<n>/<INPUT>.npy."));
        }

        var misses = budget.Check(report.Outputs, sourcePath);
        if (misses.Count > 0)
        {
            throw new CompressionException(DiagnosticCodes.ToleranceExceeded,
                string.Create(CultureInfo.InvariantCulture, $"The compressed model misses Tolerance=\"{budget.Text}\" over {report.InputCount} inputs ({report.InputSource}): {string.Join("; ", misses)}."),
                sourcePath, MissHelp);
        }

        return report;
    }
}
