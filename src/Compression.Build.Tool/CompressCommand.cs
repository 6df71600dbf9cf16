using System.CommandLine;
using System.Text.Json.Nodes;
using Compression.Onnx;
using Compression.Tasks;

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
        command.SetAction(parsed =>
        {
            var o = new Output(parsed.GetValue(json), stdout, stderr);
            return CommandLine.Guard(o, () =>
            {
                string source = parsed.GetValue(input)!, destination = Path.GetFullPath(parsed.GetValue(output)!);
                var (item, diagnostics) = SettingsBinding.Bind(source, settings.Select(s => (s.Metadata, parsed.GetValue(s.Option))));
                if (item is null) return o.Fail(diagnostics);
                if (string.Equals(item.SourcePath, destination, StringComparison.Ordinal))
                {
                    return o.Fail(ToolDiagnostics.OutputIsInput, "The output path is the input model.", source, "Write the compressed model to another file; the source is only ever read.", ExitCodes.SettingsError);
                }

                CompressionReport report;
                using (new Progress(o, Path.GetFileName(source)))
                {
                    report = ModelCompressor.Compress(item.SourcePath, destination, item.Settings);
                }

                string line = Path.GetFileName(item.SourcePath) + " -> " + report;
                if (!o.Json)
                {
                    o.Out.WriteLine(line);
                    return ExitCodes.Success;
                }

                var notes = new JsonArray();
                foreach (string n in report.Notes) notes.Add(n);
                o.Write(new JsonObject
                {
                    ["source"] = report.SourcePath,
                    ["output"] = report.OutputPath,
                    ["originalBytes"] = report.OriginalBytes,
                    ["compressedBytes"] = report.CompressedBytes,
                    ["summary"] = report.Summary,
                    ["maxAbsoluteDifference"] = report.Validation?.MaxAbsoluteDifference,
                    ["validationInputs"] = report.Validation?.InputCount,
                    ["seconds"] = report.Elapsed.TotalSeconds,
                    ["line"] = line,
                    ["notes"] = notes,
                });
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
