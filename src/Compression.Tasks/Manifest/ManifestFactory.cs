using System.Globalization;
using Compression.Onnx;
using Compression.Onnx.IO;
using Compression.Onnx.Settings;
using Compression.Tasks.Metadata;

namespace Compression.Tasks.Manifest;

/// <summary>Puts together the manifest of one item from its resolved metadata, the model's signature and the sizes.</summary>
internal static class ManifestFactory
{
    /// <param name="model">The validated item.</param>
    /// <param name="signature">The inputs and outputs (a compressed model has the original's signature).</param>
    /// <param name="originalBytes">Size of the source model and its external data.</param>
    /// <param name="compressedBytes">Size of the compressed model; null before the first compression (design-time builds).</param>
    /// <param name="summary">What was applied, from the engine's report; null to describe the settings instead.</param>
    public static ModelManifest Create(ModelItem model, ModelSignature signature, long originalBytes, long? compressedBytes, string? summary)
    {
        CompressionSettings settings = model.Settings;
        return new ModelManifest
        {
            ClassName = model.ClassName,
            Namespace = model.Namespace,
            Source = model.Include,
            ModelPath = model.Embed ? null : model.TargetPath,
            ResourceName = model.Embed ? model.TargetPath : null,
            Compression = new ManifestCompression(
                SettingsSchema.Quantize.Spell(settings.Quantize),
                settings.Quantize == QuantizationType.None ? "None" : SettingsSchema.Mode.Spell(settings.EffectiveMode),
                settings.Sparsity > 0 ? SettingsSchema.Pruning.ValueIn(settings) : SettingsSchema.Pruning.Spell(null),
                settings.Sparsity,
                summary ?? Describe(settings),
                originalBytes,
                compressedBytes),
            Inputs = [.. signature.Inputs.Select(Convert)],
            Outputs = [.. signature.Outputs.Select(Convert)],
        };
    }

    /// <summary>The settings in words, for manifests written before any compression ran.</summary>
    public static string Describe(CompressionSettings settings)
    {
        var parts = new List<string>();
        if (settings.Quantize != QuantizationType.None)
        {
            parts.Add(settings.Quantize + " " + settings.EffectiveMode.ToString().ToLowerInvariant());
        }

        if (settings.Sparsity > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{SettingsSchema.Pruning.Spell(settings.Pruning)} pruning to {settings.Sparsity:0.##} sparsity"));
        }

        if (settings.Optimize != OptimizationLevel.None)
        {
            parts.Add(settings.Optimize + " graph optimisation");
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    private static ManifestValue Convert(ValueSignature value) => new(
        value.Name,
        value.ElementType,
        value.Dims is null ? null : [.. value.Dims.Select(d => new ManifestDim(d.Value, d.Param))]);
}
