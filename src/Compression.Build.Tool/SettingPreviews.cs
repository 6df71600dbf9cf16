using System.Globalization;
using System.Text.Json.Nodes;
using Compression.Onnx;
using Compression.Onnx.Conversion;
using Compression.Onnx.IO;
using Compression.Onnx.Settings;

namespace Compression.Build.Tool;

/// <summary>
/// What settings would do to a model, by running the engine's passes on an in-memory copy
/// (<see cref="ModelCompressor.Preview"/>: the same code, nothing written, nothing validated): the summary line, the
/// size the model would have, the operators added and removed, the notes, or the coded reason a setting does not apply.
/// </summary>
internal static class SettingPreviews
{
    /// <summary>The settings <c>inspect</c> tries when none is given: every Quantize type at its default mode, pruning, and conversion to the newest opset.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Standard { get; } =
    [
        .. new[] { QuantizationType.Int8, QuantizationType.UInt8, QuantizationType.Int4, QuantizationType.UInt4, QuantizationType.Float16, QuantizationType.BFloat16 }
            .Select(q => new Dictionary<string, string> { [SettingsSchema.Quantize.Name] = q.ToString() }),
        new Dictionary<string, string> { [SettingsSchema.Sparsity.Name] = "0.5", [SettingsSchema.Pruning.Name] = nameof(PruningMethod.Unstructured) },
        new Dictionary<string, string> { [SettingsSchema.TargetOpset.Name] = OpsetConverter.SupportedOpsets.Newest.ToString(CultureInfo.InvariantCulture) },
    ];

    /// <summary>Previews one setting combination (metadata name -> value) on <paramref name="model"/>.</summary>
    /// <returns>The preview as JSON (with <c>error</c> when the setting does not apply), and whether the engine failed unexpectedly (CMP0000).</returns>
    public static (JsonObject Preview, bool Unexpected) Run(OnnxModel model, long modelBytes, string input, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        string label = string.Join(" ", metadata.Select(p => p.Key + "=" + p.Value));
        var result = new JsonObject { ["setting"] = label };
        var (item, diagnostics) = SettingsBinding.Bind(input, metadata.Select(p => (p.Key, (string?)p.Value)));
        if (item is null)
        {
            var first = diagnostics.First(d => !d.IsWarning);
            result["error"] = Output.ErrorObject(first.Code, first.Message, first.File, first.Help);
            return (result, false);
        }

        try
        {
            using CompressionPreview preview = EngineBoundary.Run(() => ModelCompressor.Preview(model, item.Settings, cancellationToken), item.SourcePath, item.Settings, logDirectory: null, cancellationToken);
            var (storage, _) = ModelFacts.WeightBytes(preview.Model);
            long bytes = preview.Model.Proto.CalculateSize() + storage.GetValueOrDefault("external");
            result["summary"] = preview.Summary;
            result["bytes"] = bytes;
            result["ratio"] = modelBytes == 0 ? 1 : Math.Round((double)bytes / modelBytes, 4);
            result["operators"] = OperatorChanges(ModelFacts.Operators(model.Proto), ModelFacts.Operators(preview.Model.Proto));
            var notes = new JsonArray();
            foreach (string note in preview.Notes) notes.Add(note);
            result["notes"] = notes;
            return (result, false);
        }
        catch (CompressionException e)
        {
            result["error"] = Output.ErrorObject(e.Code, e.Message, e.FilePath, e.Help);
            return (result, e.Code == DiagnosticCodes.InternalError);
        }
    }

    /// <summary>Text lines for the previews.</summary>
    public static IEnumerable<string> Lines(JsonArray previews)
    {
        yield return "what each setting would do (the engine's passes on a copy in memory; nothing written or validated):";
        foreach (JsonNode? p in previews)
        {
            string head = "  " + p!["setting"];
            if (p["error"] is { } error)
            {
                yield return $"{head}: does not apply: {error["code"]}: {error["message"]}";
                continue;
            }

            string ops = string.Join(", ", p["operators"]!.AsObject().Select(o => string.Create(CultureInfo.InvariantCulture, $"{(int)o.Value!:+0;-0} {o.Key}")));
            yield return string.Create(CultureInfo.InvariantCulture, $"{head}: {(long)p["bytes"]! / 1e6:0.00} MB ({(double)p["ratio"]!:0%}): {p["summary"]}");
            if (ops.Length > 0) yield return "      operators: " + ops;
            foreach (JsonNode? note in p["notes"]!.AsArray()) yield return "      note: " + note;
        }
    }

    private static JsonObject OperatorChanges(SortedDictionary<string, int> before, SortedDictionary<string, int> after)
    {
        var changes = new JsonObject();
        foreach (string op in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            int delta = after.GetValueOrDefault(op) - before.GetValueOrDefault(op);
            if (delta != 0) changes[op] = delta;
        }

        return changes;
    }
}
