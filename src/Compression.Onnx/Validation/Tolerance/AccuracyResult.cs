using System.Globalization;

namespace Compression.Onnx.Validation.Tolerance;

/// <summary>What <see cref="AccuracyCheck.Measure"/> found.</summary>
public sealed class AccuracyResult
{
    private readonly string _sourcePath;

    internal AccuracyResult(ValidationReport report, AccuracyBudget? budget, IReadOnlyList<ToleranceMiss> misses, IReadOnlyList<CompressionWarning> warnings, string sourcePath)
    {
        Report = report;
        Budget = budget;
        Misses = misses;
        Warnings = warnings;
        _sourcePath = sourcePath;
    }

    /// <summary>The per-output deviations.</summary>
    public ValidationReport Report { get; }

    /// <summary>The <c>Tolerance</c> checked, or <see langword="null"/> when none was given.</summary>
    public AccuracyBudget? Budget { get; }

    /// <summary>Each rule an output misses, with the measured value; empty when the model fits the budget.</summary>
    public IReadOnlyList<ToleranceMiss> Misses { get; }

    /// <summary>Coded warnings (a budget checked on synthesised integer inputs).</summary>
    public IReadOnlyList<CompressionWarning> Warnings { get; }

    /// <summary>The CMP4012 error the misses stand for, or <see langword="null"/> when the model fits the budget.</summary>
    public CompressionException? MissError() => Misses.Count == 0 ? null : new CompressionException(DiagnosticCodes.ToleranceExceeded,
        string.Create(CultureInfo.InvariantCulture, $"The compressed model misses Tolerance=\"{Budget!.Text}\" over {Report.InputCount} inputs ({Report.InputSource}): {string.Join("; ", Misses)}."),
        _sourcePath, AccuracyCheck.MissHelp);
}
