using System.CommandLine;
using System.Text.Json.Nodes;
using Compression.Onnx;
using Compression.Onnx.IO;
using Compression.Tasks.Metadata;

namespace Compression.Build.Tool;

/// <summary><c>compress IN.onnx -o OUT.onnx --quantize Int8 ...</c>: the build's compression of one model.</summary>
internal static class CompressCommand
{
    public static Command Create(Option<bool> json, TextWriter stdout, TextWriter stderr)
    {
        var input = new Argument<string>("input") { Description = "The ONNX model to compress (only read)." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the compressed model (Format=Ort gives it the .ort extension).", Required = true };
        var settings = SettingsBinding.CreateOptions();
        var command = new Command("compress", "Compress a model as dotnet build does for a CompressedModel item with the same settings.");
        command.Arguments.Add(input);
        command.Options.Add(output);
        foreach (var (_, option) in settings) command.Options.Add(option);
        command.SetAction((parsed, cancellationToken) => Task.FromResult(Compress(
            parsed.GetValue(input)!,
            parsed.GetValue(output)!,
            settings.Select(s => (s.Metadata, parsed.GetValue(s.Option))),
            new Output(parsed.GetValue(json), stdout, stderr),
            cancellationToken)));
        return command;
    }

    /// <summary>
    /// Compresses <paramref name="input"/> into <paramref name="output"/> as <c>dotnet build</c> does for a
    /// <c>CompressedModel</c> item with these metadata, and reports the build's one line (or JSON). The one entry point
    /// of the tool's compression: the settings are bound by the build's reader, the engine runs through its boundary.
    /// </summary>
    /// <returns>The exit code (<see cref="ExitCodes"/>).</returns>
    public static int Compress(string input, string output, IEnumerable<(string Metadata, string? Value)> metadata, Output o, CancellationToken cancellationToken)
    {
        var (item, diagnostics) = SettingsBinding.Bind(input, metadata);
        if (item is null) return o.Fail(diagnostics);

        // The build's warnings about the settings (CalibrationData that nothing reads...) join the engine's.
        var settingWarnings = diagnostics.Where(d => d.IsWarning).Select(d => new CompressionWarning(d.Code, d.Message, d.Help)).ToList();
        string destination = Path.GetFullPath(output);
        if (string.Equals(item.SourcePath, destination, StringComparison.Ordinal))
        {
            return o.Fail(ToolDiagnostics.OutputIsInput, "The output path is the input model.", input, "Write the compressed model to another file; the source is only ever read.");
        }

        return CommandLine.Guard(o, item.SourcePath, item.Settings, () =>
        {
            CompressionReport report;
            using (Progress? progress = Progress.For(o, Path.GetFileName(item.SourcePath)))
            {
                // A killed earlier run may have left its staging folder beside the output (the engine writes Format=Ort to .ort).
                AtomicFile.DeleteLeftovers(item.Settings.Format == ModelFormat.Ort ? Path.ChangeExtension(destination, ".ort") : destination);
                report = ModelCompressor.Compress(item.SourcePath, destination, item.Settings, progress, cancellationToken);
            }

            Report(o, item, report, settingWarnings);
            return ExitCodes.Success;
        }, cancellationToken);
    }

    private static void Report(Output o, ModelItem item, CompressionReport report, List<CompressionWarning> settingWarnings)
    {
        string line = Path.GetFileName(item.SourcePath) + " -> " + report;
        List<CompressionWarning> all = [.. settingWarnings, .. report.Warnings];
        if (!o.Json)
        {
            o.Out.WriteLine(line);
            foreach (CompressionWarning warning in all) o.Error.WriteLine($"{item.SourcePath}: warning {warning.Code}: {warning.Message}");
            return;
        }

        var notes = new JsonArray();
        foreach (string n in report.Notes) notes.Add(n);
        var warnings = new JsonArray();
        foreach (CompressionWarning w in all) warnings.Add(new JsonObject { ["code"] = w.Code, ["message"] = w.Message, ["help"] = w.Help });
        var outputs = new JsonArray();
        foreach (OutputDeviation d in report.Validation?.Outputs ?? []) outputs.Add(ValidateCommand.Describe(d));
        o.Write(new JsonObject
        {
            ["source"] = report.SourcePath,
            ["output"] = report.OutputPath,
            ["originalBytes"] = report.OriginalBytes,
            ["compressedBytes"] = report.CompressedBytes,
            ["summary"] = report.Summary,
            ["maxAbsoluteDifference"] = report.Validation?.MaxAbsoluteDifference,
            ["validationInputs"] = report.Validation?.InputCount,
            ["outputs"] = outputs,
            ["seconds"] = report.Elapsed.TotalSeconds,
            ["line"] = line,
            ["notes"] = notes,
            ["warnings"] = warnings,
        });
    }
}
