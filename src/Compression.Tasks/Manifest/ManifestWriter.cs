using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Compression.Tasks.Manifest;

/// <summary>Writes a <see cref="ModelManifest"/> as schema-version-1 JSON, byte for byte the same for the same manifest.</summary>
internal static class ManifestWriter
{
    public const int SchemaVersion = 1;

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
            json.WriteNumber("schemaVersion", SchemaVersion);
            json.WriteString("className", manifest.ClassName);
            json.WriteString("namespace", manifest.Namespace);
            json.WriteString("source", manifest.Source);
            WriteNullable(json, "modelPath", manifest.ModelPath);
            WriteNullable(json, "resourceName", manifest.ResourceName);

            ManifestCompression compression = manifest.Compression;
            json.WriteStartObject("compression");
            json.WriteString("quantize", compression.Quantize);
            json.WriteString("mode", compression.Mode);
            json.WriteString("pruning", compression.Pruning);
            json.WriteNumber("sparsity", compression.Sparsity);
            json.WriteString("summary", compression.Summary);
            json.WriteNumber("originalBytes", compression.OriginalBytes);
            if (compression.CompressedBytes is long compressed)
            {
                json.WriteNumber("compressedBytes", compressed);
            }
            else
            {
                json.WriteNull("compressedBytes");
            }

            json.WriteEndObject();
            WriteValues(json, "inputs", manifest.Inputs);
            WriteValues(json, "outputs", manifest.Outputs);
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
            json.WriteString("name", value.Name);
            json.WriteString("elementType", value.ElementType);
            if (value.Dims is { } dims)
            {
                json.WriteStartArray("dims");
                foreach (ManifestDim dim in dims)
                {
                    json.WriteStartObject();
                    if (dim.Value is long fixedSize)
                    {
                        json.WriteNumber("value", fixedSize);
                    }
                    else if (dim.Param is { } param)
                    {
                        json.WriteString("param", param);
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
