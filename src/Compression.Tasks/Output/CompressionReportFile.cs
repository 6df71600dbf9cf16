using Compression.Onnx.IO;
using System.Text.Json;

namespace Compression.Tasks.Output;

/// <summary>
/// What the last compression of a model did, kept beside the compressed model
/// (<c>&lt;model&gt;.report.json</c>): the manifest reads the sizes and summary from it, and the next
/// build reads which extra source files (external data) the compression depended on.
/// </summary>
internal sealed record CompressionReportFile
{
    /// <summary>Files besides the model that the compression read (external data), absolute.</summary>
    public IReadOnlyList<string> SourceFiles { get; init; } = [];

    /// <summary>Bytes of the source model and its external data.</summary>
    public long OriginalBytes { get; init; }

    /// <summary>Bytes of the compressed model.</summary>
    public long CompressedBytes { get; init; }

    /// <summary>What was applied, in words (e.g. <c>Int8 dynamic, per-channel weights</c>).</summary>
    public string Summary { get; init; } = string.Empty;

    /// <summary>The line logged for the model.</summary>
    public string Line { get; init; } = string.Empty;

    public void Write(string path)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 1);
            json.WriteStartArray("sourceFiles");
            foreach (string file in SourceFiles)
            {
                json.WriteStringValue(file);
            }

            json.WriteEndArray();
            json.WriteNumber("originalBytes", OriginalBytes);
            json.WriteNumber("compressedBytes", CompressedBytes);
            json.WriteString("summary", Summary);
            json.WriteString("line", Line);
            json.WriteEndObject();
        }

        AtomicFile.WriteAllTextIfChanged(path, System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n");
    }

    /// <summary>The report of the last compression, or null when there is none (never compressed, or a design-time build).</summary>
    public static CompressionReportFile? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            return new CompressionReportFile
            {
                SourceFiles = [.. root.GetProperty("sourceFiles").EnumerateArray().Select(e => e.GetString()!)],
                OriginalBytes = root.GetProperty("originalBytes").GetInt64(),
                CompressedBytes = root.GetProperty("compressedBytes").GetInt64(),
                Summary = root.GetProperty("summary").GetString()!,
                Line = root.GetProperty("line").GetString()!,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Our own file, written atomically; unreadable only if edited by hand. Then the manifest shows no
            // compressed size until the next compression rewrites it.
            return null;
        }
    }

    /// <summary>The <see cref="SourceFiles"/> of the last report, or none.</summary>
    public static IReadOnlyList<string> ReadSourceFiles(string path) => Read(path)?.SourceFiles ?? [];
}
