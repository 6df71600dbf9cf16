using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Compression.Manifest;

namespace Compression.Tasks.Manifest;

/// <summary>Writes a <see cref="ModelManifest"/> as JSON in the shared <see cref="ManifestContract"/> (schema version 1), byte for byte the same for the same manifest.</summary>
internal static class ManifestWriter
{
    public static string ToJson(ModelManifest manifest)
    {
        using var buffer = new MemoryStream();
        var options = new JsonWriterOptions
        {
            Indented = true,

            // Model and value names are arbitrary text; keep them readable, still valid JSON.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using (var json = new Utf8JsonWriter(buffer, options))
        {
            json.WriteStartObject();
            json.WriteNumber(ManifestContract.SchemaVersionProperty, ManifestContract.SchemaVersion);
            json.WriteString(ManifestContract.ClassName, manifest.ClassName);
            json.WriteString(ManifestContract.Namespace, manifest.Namespace);
            json.WriteString(ManifestContract.Source, manifest.Source);
            WriteNullable(json, ManifestContract.ModelPath, manifest.ModelPath);
            WriteNullable(json, ManifestContract.ResourceName, manifest.ResourceName);

            ManifestCompression compression = manifest.Compression;
            json.WriteStartObject(ManifestContract.Compression);
            json.WriteString(ManifestContract.Quantize, compression.Quantize);
            json.WriteString(ManifestContract.Mode, compression.Mode);
            json.WriteString(ManifestContract.Pruning, compression.Pruning);
            json.WriteNumber(ManifestContract.Sparsity, compression.Sparsity);
            json.WriteString(ManifestContract.Summary, compression.Summary);
            json.WriteNumber(ManifestContract.OriginalBytes, compression.OriginalBytes);
            if (compression.CompressedBytes is long compressed)
            {
                json.WriteNumber(ManifestContract.CompressedBytes, compressed);
            }
            else
            {
                json.WriteNull(ManifestContract.CompressedBytes);
            }

            json.WriteEndObject();
            WriteValues(json, ManifestContract.Inputs, manifest.Inputs);
            WriteValues(json, ManifestContract.Outputs, manifest.Outputs);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteValues(Utf8JsonWriter json, string name, IReadOnlyList<ManifestValue> values)
    {
        json.WriteStartArray(name);
        foreach (ManifestValue value in values)
        {
            json.WriteStartObject();
            json.WriteString(ManifestContract.Name, value.Name);
            json.WriteString(ManifestContract.ElementType, value.ElementType);
            if (value.Dims is { } dims)
            {
                json.WriteStartArray(ManifestContract.Dims);
                foreach (ManifestDim dim in dims)
                {
                    json.WriteStartObject();
                    if (dim.Value is long fixedSize)
                    {
                        json.WriteNumber(ManifestContract.DimValue, fixedSize);
                    }
                    else if (dim.Param is { } param)
                    {
                        json.WriteString(ManifestContract.DimParam, param);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
