using System.Globalization;
using System.Text.Json.Nodes;
using Compression.Onnx;
using Compression.Onnx.Validation.Tolerance;

namespace Compression.Build.Tool;

/// <summary>What one <c>validate</c> run measured: the two models, the settings that chose the inputs and the budget, and the build's result.</summary>
internal sealed record ValidationRun(string OriginalPath, string CompressedPath, CompressionSettings Settings, AccuracyResult Result);

/// <summary>
/// One part of the <c>validate</c> report: a JSON property (<see cref="Name"/>) and its text lines. The report is the
/// list <see cref="ValidationSections.All"/>, in order. The per-node sensitivity report (issue 14: which nodes, kept
/// in float, would win back most accuracy) is meant to be one more section here, measured from the same
/// <see cref="ValidationRun"/>; the build's report can then show the same section.
/// </summary>
internal interface IValidationSection
{
    /// <summary>The JSON property name of the section.</summary>
    string Name { get; }

    /// <summary>The section's content, or <see langword="null"/> when it has nothing to say for this run.</summary>
    JsonNode? Describe(ValidationRun run, CancellationToken cancellationToken);

    /// <summary>The section as text lines (from what <see cref="Describe"/> returned).</summary>
    IEnumerable<string> Lines(JsonNode described);
}

/// <summary>The sections of the <c>validate</c> report.</summary>
internal static class ValidationSections
{
    /// <summary>In report order.</summary>
    public static IReadOnlyList<IValidationSection> All { get; } = [new OutputsSection(), new ToleranceSection()];

    /// <summary>Each output's deviation: max and mean |d|, the smallest cosine per input, top-1 agreement.</summary>
    private sealed class OutputsSection : IValidationSection
    {
        public string Name => "outputs";

        public JsonNode? Describe(ValidationRun run, CancellationToken cancellationToken)
        {
            var outputs = new JsonArray();
            foreach (OutputDeviation d in run.Result.Report.Outputs) outputs.Add(ValidateCommand.Describe(d));
            return outputs;
        }

        public IEnumerable<string> Lines(JsonNode described) => described.AsArray().Select(o => string.Create(
            CultureInfo.InvariantCulture,
            $"  {o!["name"]}: max |d| {(double)o["maxAbsoluteDifference"]!:G4}, mean |d| {(double)o["meanAbsoluteDifference"]!:G4}, cosine {(double)o["cosine"]!:0.######}, top-1 {(double)o["top1"]!:0.##%}"));
    }

    /// <summary>The <c>Tolerance</c> budget: each rule missed, with its measured value (the command then fails with CMP4012).</summary>
    private sealed class ToleranceSection : IValidationSection
    {
        public string Name => "tolerance";

        public JsonNode? Describe(ValidationRun run, CancellationToken cancellationToken)
        {
            if (run.Result.Budget is not { } budget) return null;
            var misses = new JsonArray();
            foreach (ToleranceMiss miss in run.Result.Misses) misses.Add(miss.ToString());
            return new JsonObject { ["budget"] = budget.Text, ["met"] = run.Result.Misses.Count == 0, ["misses"] = misses };
        }

        public IEnumerable<string> Lines(JsonNode described) =>
            [$"Tolerance \"{described["budget"]}\": " + ((bool)described["met"]! ? "met" : "missed: " + string.Join("; ", described["misses"]!.AsArray().Select(m => (string)m!)))];
    }
}
