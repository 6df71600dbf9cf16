using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Compression.Onnx;
using Compression.Onnx.Settings;
using Compression.Onnx.Validation.Tolerance;

namespace Compression.Build.Tool;

/// <summary>
/// <c>validate ORIGINAL COMPRESSED [--validation-data DIR] [--tolerance RULES]</c>: the build's validation on two
/// files: the same inputs (folder, else synthesised), the same per-output measures, the same budget and CMP4012.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(Option<bool> json, TextWriter stdout, TextWriter stderr)
    {
        var original = new Argument<string>("original") { Description = "The original model." };
        var compressed = new Argument<string>("compressed") { Description = "The compressed model (.onnx or .ort)." };
        var data = new Option<string>("--" + SettingsSchema.ValidationData.OptionName, "--data") { Description = SettingsSchema.ValidationData.Description };
        var tolerance = new Option<string>("--" + SettingsSchema.Tolerance.OptionName) { Description = SettingsSchema.Tolerance.Description };
        var command = new Command("validate", "Run both models in ONNX Runtime on the same inputs, report each output's deviation and check a Tolerance, as the build validates.");
        command.Arguments.Add(original);
        command.Arguments.Add(compressed);
        command.Options.Add(data);
        command.Options.Add(tolerance);
        command.SetAction((parsed, cancellationToken) =>
        {
            var o = new Output(parsed.GetValue(json), stdout, stderr);
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            if (parsed.GetValue(data) is { } folder) values[SettingsSchema.ValidationData.Name] = folder;
            if (parsed.GetValue(tolerance) is { } budget) values[SettingsSchema.Tolerance.Name] = budget;
            BoundSettings bound = SettingsBinder.Bind(values, Directory.GetCurrentDirectory());
            if (bound.Problems.Any(p => !p.IsWarning)) return Task.FromResult(o.Fail(bound.Problems));
            return Task.FromResult(Validate(Path.GetFullPath(parsed.GetValue(original)!), Path.GetFullPath(parsed.GetValue(compressed)!), bound.Settings, o, cancellationToken));
        });
        return command;
    }

    /// <summary>One output's deviation as JSON (also in <c>compress --json</c>).</summary>
    public static JsonObject Describe(OutputDeviation d) => new()
    {
        ["name"] = d.Name,
        ["maxAbsoluteDifference"] = d.MaxAbsoluteDifference,
        ["meanAbsoluteDifference"] = d.MeanAbsoluteDifference,
        ["cosine"] = d.CosineSimilarity,
        ["top1"] = d.Top1Agreement,
        ["elements"] = d.ElementCount,
    };

    private static int Validate(string originalPath, string compressedPath, CompressionSettings settings, Output o, CancellationToken cancellationToken) =>
        CommandLine.Guard(o, originalPath, settings, () =>
        {
            AccuracyResult result;
            using (Progress? progress = Progress.For(o, Path.GetFileName(compressedPath)))
            {
                progress?.Report(new CompressionProgress("validate", 0, 1));
                result = AccuracyCheck.Measure(originalPath, compressedPath, settings, cancellationToken);
            }

            var run = new ValidationRun(originalPath, compressedPath, settings, result);
            ValidationReport report = result.Report;
            var json = new JsonObject
            {
                ["original"] = originalPath,
                ["compressed"] = compressedPath,
                ["inputs"] = report.InputCount,
                ["inputSource"] = report.InputSource,
                ["skipped"] = report.SkippedReason,
                ["maxAbsoluteDifference"] = report.MaxAbsoluteDifference,
            };
            if (!o.Json)
            {
                o.Out.WriteLine(report.SkippedReason is { } skipped ? "validation skipped: " + skipped : string.Create(CultureInfo.InvariantCulture,
                    $"{report.InputCount} inputs ({report.InputSource}): max |d| {report.MaxAbsoluteDifference:G4}, min cosine {report.MinCosineSimilarity:0.######}"));
            }

            foreach (IValidationSection section in ValidationSections.All)
            {
                if (section.Describe(run, cancellationToken) is not { } described) continue;
                if (o.Json) json[section.Name] = described;
                else foreach (string line in section.Lines(described)) o.Out.WriteLine(line);
            }

            foreach (CompressionWarning warning in result.Warnings) o.Error.WriteLine($"{originalPath}: warning {warning.Code}: {warning.Message}");
            CompressionException? miss = result.MissError();
            if (!o.Json) return miss is null ? ExitCodes.Success : o.Fail(miss.Code, miss.Message, compressedPath, miss.Help);

            // One JSON object: the measures, and the error when the budget is missed.
            if (miss is not null) json["error"] = Output.ErrorObject(miss.Code, miss.Message, compressedPath, miss.Help);
            o.Write(json);
            return miss is null ? ExitCodes.Success : ExitCodes.For(miss.Code);
        }, cancellationToken);
}
