using Compression.Onnx;

namespace Compression.Tasks.Metadata;

/// <summary>
/// One validated <c>CompressedModel</c> item: its resolved settings, the names the generator uses and where the
/// build writes its files. Every path is absolute; <see cref="TargetPath"/> is relative and '/'-separated.
/// </summary>
internal sealed record ModelItem
{
    /// <summary>The Include as written in the project.</summary>
    public required string Include { get; init; }

    /// <summary>The source model; only ever read.</summary>
    public required string SourcePath { get; init; }

    /// <summary>The engine settings, every default resolved (<see cref="Onnx.Settings.SettingsBinder"/>).</summary>
    public required CompressionSettings Settings { get; init; }

    /// <summary>The calibration and validation files the compression reads (inputs of the compression target); known to the sanity check only.</summary>
    public IReadOnlyList<string> DataFiles { get; init; } = [];

    public required string ClassName { get; init; }
    public required string Namespace { get; init; }
    public required bool GenerateWrapper { get; init; }
    public required bool Embed { get; init; }

    /// <summary>Where the model lands under the output folder (also the resource name when embedded).</summary>
    public required string TargetPath { get; init; }

    public required ModelOutputPaths Paths { get; init; }
}

/// <summary>The files the build writes for one model, all under <c>$(IntermediateOutputPath)compression/</c>.</summary>
/// <param name="Compressed">The compressed model.</param>
/// <param name="Manifest">The JSON manifest the source generator reads.</param>
/// <param name="Report">What the last compression did (sizes, deviation), read back for the manifest.</param>
/// <param name="CompressStamp">The resolved settings and a hash of them with the tool version: an input of the compression target.</param>
/// <param name="ManifestStamp">Hash of the names in the manifest: an input of the manifest target.</param>
internal sealed record ModelOutputPaths(string Compressed, string Manifest, string Report, string CompressStamp, string ManifestStamp)
{
    public static ModelOutputPaths Under(string compressionDirectory, string targetPath)
    {
        string compressed = Path.GetFullPath(Path.Combine(compressionDirectory, targetPath));
        return new ModelOutputPaths(
            compressed,
            compressed + ".manifest.json",
            compressed + ".report.json",
            compressed + ".compress.stamp",
            compressed + ".manifest.stamp");
    }

    /// <summary>Every file the build may leave behind for this model (for <c>FileWrites</c> and <c>clean</c>).</summary>
    public IEnumerable<string> All => [Compressed, Manifest, Report, CompressStamp, ManifestStamp];
}
