using System.Globalization;
using Compression.Onnx.Passes;
using Onnx;

namespace Compression.Onnx.Pipeline;

/// <summary>What the engine records in the model's <c>metadata_props</c>: the settings applied and what each pass reported.</summary>
internal static class CompressionMetadata
{
    /// <summary>Replaces the engine's own keys (from an earlier compression too) with these settings and the passes' entries; keeps everyone else's.</summary>
    public static void Write(ModelProto model, CompressionSettings settings, CompressionContext context, string summary)
    {
        var entries = new SortedDictionary<string, string>(context.Metadata, StringComparer.Ordinal)
        {
            [ModelCompressor.MetadataPrefix + "tool"] = "Compression.Build",
            [ModelCompressor.MetadataPrefix + "summary"] = summary,
            [ModelCompressor.MetadataPrefix + "quantize"] = settings.Quantize.ToString(),
        };
        if (settings.Quantize != QuantizationType.None)
        {
            entries[ModelCompressor.MetadataPrefix + "mode"] = settings.EffectiveMode.ToString();
            entries[ModelCompressor.MetadataPrefix + "per_channel"] = settings.PerChannel ? "true" : "false";
            entries[ModelCompressor.MetadataPrefix + "symmetric"] = settings.EffectiveSymmetric ? "true" : "false";
            entries[ModelCompressor.MetadataPrefix + "minimum_weight_elements"] = settings.EffectiveMinimumWeightElements.ToString(CultureInfo.InvariantCulture);
        }

        if (settings.ExcludeOps.Count > 0) entries[ModelCompressor.MetadataPrefix + "exclude_ops"] = string.Join(";", settings.ExcludeOps);
        if (settings.ExcludeNodes.Count > 0) entries[ModelCompressor.MetadataPrefix + "exclude_nodes"] = string.Join(";", settings.ExcludeNodes);

        // Replace our own keys from an earlier compression; keep everyone else's.
        for (int i = model.MetadataProps.Count - 1; i >= 0; i--)
        {
            if (model.MetadataProps[i].Key.StartsWith(ModelCompressor.MetadataPrefix, StringComparison.Ordinal)) model.MetadataProps.RemoveAt(i);
        }

        foreach (var (key, value) in entries) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        foreach (var (key, value) in entries) context.Metadata[key] = value;
    }
}
