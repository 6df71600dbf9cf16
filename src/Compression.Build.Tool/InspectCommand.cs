using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Compression.Onnx;
using Compression.Onnx.IO;

namespace Compression.Build.Tool;

/// <summary>
/// <c>inspect IN.onnx [--quantize Int4 --target-opset 21 ...]</c>: signature, opsets, operators, weights by storage,
/// and what settings would do (every standard setting, or the one combination given as options).
/// </summary>
internal static class InspectCommand
{
    public static Command Create(Option<bool> json, TextWriter stdout, TextWriter stderr)
    {
        var input = new Argument<string>("input") { Description = "The ONNX model (only read)." };
        var settings = SettingsBinding.CreateOptions();
        var command = new Command("inspect", "Describe a model: inputs/outputs, opsets, operator histogram, weight bytes by storage, and what each setting would do (or the settings given as options).");
        command.Arguments.Add(input);
        foreach (var (_, option) in settings) command.Options.Add(option);
        command.SetAction((parsed, cancellationToken) =>
        {
            var given = settings.Where(s => parsed.GetValue(s.Option) is not null).ToDictionary(s => s.Metadata, s => parsed.GetValue(s.Option)!, StringComparer.Ordinal);
            return Task.FromResult(Inspect(parsed.GetValue(input)!, given, new Output(parsed.GetValue(json), stdout, stderr), cancellationToken));
        });
        return command;
    }

    private static int Inspect(string input, Dictionary<string, string> given, Output o, CancellationToken cancellationToken) =>
        CommandLine.Guard(o, Path.GetFullPath(input), null, () =>
        {
            using OnnxModel model = OnnxModel.Load(input);
            JsonObject facts = ModelFacts.Describe(model);
            IReadOnlyList<IReadOnlyDictionary<string, string>> trials = given.Count > 0 ? [given] : SettingPreviews.Standard;
            var previews = new JsonArray();
            bool unexpected = false;
            using (Progress? progress = Progress.For(o, Path.GetFileName(input)))
            {
                for (int i = 0; i < trials.Count; i++)
                {
                    progress?.Report(new CompressionProgress(string.Join(" ", trials[i].Select(p => p.Key + "=" + p.Value)), i, trials.Count));
                    var (preview, failed) = SettingPreviews.Run(model, (long)facts["bytes"]!, input, trials[i], cancellationToken);
                    previews.Add(preview);
                    unexpected |= failed;
                }
            }

            facts["settings"] = previews;
            if (o.Json) o.Write(facts);
            else WriteText(o.Out, facts);
            return unexpected ? ExitCodes.Unexpected : ExitCodes.Success;
        }, cancellationToken);

    private static void WriteText(TextWriter w, JsonObject r)
    {
        string producer = (string)r["producer"]! is { Length: > 0 } p ? ", from " + p : string.Empty;
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r["file"]}: {(long)r["bytes"]! / 1e6:0.00} MB, IR version {r["irVersion"]}{producer}"));
        foreach (string section in new[] { "inputs", "outputs" })
        {
            w.WriteLine(section + ":");
            foreach (JsonNode? v in r[section]!.AsArray()) w.WriteLine($"  {v!["name"]}: {v["type"]} {v["shape"]}");
        }

        w.WriteLine("opsets: " + string.Join(", ", r["opsets"]!.AsObject().Select(p => $"{p.Key} {p.Value}")));
        w.WriteLine("operators: " + string.Join(", ", r["operators"]!.AsObject().Select(p => $"{p.Key} {p.Value}")));
        w.WriteLine($"weight bytes ({r["floatWeights"]} float weights): " + string.Join(", ", r["weightBytes"]!.AsObject().Select(p => $"{p.Key} {p.Value}")));
        foreach (string line in SettingPreviews.Lines(r["settings"]!.AsArray())) w.WriteLine(line);
    }
}
