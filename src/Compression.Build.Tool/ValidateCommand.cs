using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Compression.Onnx;

namespace Compression.Build.Tool;

/// <summary><c>validate ORIGINAL COMPRESSED [--validation-data DIR] [--tolerance X]</c>: the build's validation on two files.</summary>
internal static class ValidateCommand
{
    public static Command Create(Option<bool> json, TextWriter stdout, TextWriter stderr)
    {
        var original = new Argument<string>("original") { Description = "The original model." };
        var compressed = new Argument<string>("compressed") { Description = "The compressed model (.onnx or .ort)." };
        var data = new Option<string>("--validation-data", "--data") { Description = "Inputs in ONNX test-data layout; default: synthesised from the signature." };
        var tolerance = new Option<double?>("--tolerance") { Description = "Largest allowed max |d|; above it the exit code is 1 (CMP4012)." };
        var command = new Command("validate", "Run both models in ONNX Runtime on the same inputs and report each output's deviation.");
        command.Arguments.Add(original);
        command.Arguments.Add(compressed);
        command.Options.Add(data);
        command.Options.Add(tolerance);
        command.SetAction(parsed =>
        {
            var o = new Output(parsed.GetValue(json), stdout, stderr);
            return CommandLine.Guard(o, () =>
            {
                string a = Path.GetFullPath(parsed.GetValue(original)!), b = Path.GetFullPath(parsed.GetValue(compressed)!);
                string? folder = parsed.GetValue(data) is { } d ? Path.GetFullPath(d) : null;
                ValidationReport report = ModelValidator.Validate(a, b, folder);
                var outputs = new JsonArray();
                foreach (OutputDeviation d2 in report.Outputs)
                {
                    outputs.Add(new JsonObject { ["name"] = d2.Name, ["maxAbsoluteDifference"] = d2.MaxAbsoluteDifference, ["meanAbsoluteDifference"] = d2.MeanAbsoluteDifference, ["cosine"] = d2.CosineSimilarity });
                }

                if (o.Json) o.Write(new JsonObject { ["inputs"] = report.InputCount, ["inputSource"] = report.InputSource, ["skipped"] = report.SkippedReason, ["maxAbsoluteDifference"] = report.MaxAbsoluteDifference, ["outputs"] = outputs });
                else
                {
                    o.Out.WriteLine(report.SkippedReason is { } skipped ? "validation skipped: " + skipped : string.Create(CultureInfo.InvariantCulture, $"{report.InputCount} inputs ({report.InputSource}): max |d| {report.MaxAbsoluteDifference:G4}, min cosine {report.MinCosineSimilarity:G6}"));
                    foreach (OutputDeviation d2 in report.Outputs) o.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {d2.Name}: max |d| {d2.MaxAbsoluteDifference:G4}, mean |d| {d2.MeanAbsoluteDifference:G4}, cosine {d2.CosineSimilarity:G6}"));
                }

                if (parsed.GetValue(tolerance) is double t && report.MaxAbsoluteDifference > t)
                {
                    return o.Fail(DiagnosticCodes.ToleranceExceeded, string.Create(CultureInfo.InvariantCulture, $"max |d| {report.MaxAbsoluteDifference:G4} is above the tolerance {t}."), b, "Compress with a wider type or keep sensitive nodes in float.", ExitCodes.ModelError);
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
