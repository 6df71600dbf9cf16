using System.Globalization;
using Compression.Onnx.IO;

namespace Compression.Onnx;

/// <summary>What <see cref="ModelCompressor.Compress(string, string, CompressionSettings, CancellationToken)"/> did: sizes, the compressions applied, and how far the result is from the original.</summary>
public sealed class CompressionReport
{
    /// <summary>Creates a report.</summary>
    public CompressionReport(string sourcePath, string outputPath, ModelDescription source, long compressedBytes, string summary,
        IReadOnlyDictionary<string, string> metadata, IReadOnlyList<string> notes, ValidationReport? validation, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(source);
        SourcePath = sourcePath;
        OutputPath = outputPath;
        Source = source;
        CompressedBytes = compressedBytes;
        Summary = summary;
        Metadata = metadata;
        Notes = notes;
        Validation = validation;
        Elapsed = elapsed;
    }

    /// <summary>The model that was read.</summary>
    public string SourcePath { get; }

    /// <summary>The compressed model that was written.</summary>
    public string OutputPath { get; }

    /// <summary>The source model as read: signature, external data files and size (what a build needs for its manifest and inputs).</summary>
    public ModelDescription Source { get; }

    /// <summary>Size of the source model in bytes: the file and its external data.</summary>
    public long OriginalBytes => Source.Bytes;

    /// <summary>Size of the compressed model in bytes: the file and its external data.</summary>
    public long CompressedBytes { get; }

    /// <summary>Compressed size as a fraction of the original (0.3 = 30%).</summary>
    public double Ratio => OriginalBytes == 0 ? 1 : (double)CompressedBytes / OriginalBytes;

    /// <summary>One line saying what was applied, e.g. <c>Int8 dynamic, per-channel symmetric weights (...)</c>; <c>none</c> when nothing was.</summary>
    public string Summary { get; }

    /// <summary>The <c>metadata_props</c> entries written into the compressed model.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Things worth knowing (forms chosen because of the opset, validation skipped and why...).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Coded warnings: the build succeeded, but the user should act (e.g. an accuracy budget checked on synthesised integer inputs).</summary>
    public IReadOnlyList<CompressionWarning> Warnings { get; init; } = [];

    /// <summary>The comparison with the original in ONNX Runtime, or <see langword="null"/> when validation was off or skipped.</summary>
    public ValidationReport? Validation { get; }

    /// <summary>Wall time of the whole compression.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The build's one line, e.g. <c>Int8 ...: 2.33 MB -> 0.71 MB (30%), max |d| 0.004 over 16 inputs, 0.41 s</c>.</summary>
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Summary}: {OriginalBytes / 1e6:0.00} MB -> {CompressedBytes / 1e6:0.00} MB ({Ratio:0%})");
        if (Validation is { } v)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", max |d| {v.MaxAbsoluteDifference:G3} over {v.InputCount} inputs");
        }

        return text + string.Create(CultureInfo.InvariantCulture, $", {Elapsed.TotalSeconds:0.00} s");
    }
}

/// <summary>A coded warning of a compression that succeeded.</summary>
/// <param name="Code">The diagnostic code (docs/diagnostics.md).</param>
/// <param name="Message">What happened.</param>
/// <param name="Help">What to do.</param>
public sealed record CompressionWarning(string Code, string Message, string Help);
