using Compression.Onnx.IO;

namespace Compression.Onnx.Passes;

/// <summary>What a pass works on: the model being rewritten, the settings, and where it records what it did.</summary>
internal sealed class CompressionContext
{
    public CompressionContext(OnnxModel model, CompressionSettings settings, string sourcePath)
    {
        Model = model;
        Settings = settings;
        SourcePath = sourcePath;
    }

    /// <summary>The model being rewritten (its <see cref="OnnxModel.Proto"/> is edited in place).</summary>
    public OnnxModel Model { get; }

    public CompressionSettings Settings { get; }

    /// <summary>The source model file, for diagnostics.</summary>
    public string SourcePath { get; }

    /// <summary>Short phrases joined into the report's summary, e.g. "Int8 dynamic (12 MatMul, 4 Conv), per-channel".</summary>
    public List<string> Summary { get; } = [];

    /// <summary>Key/value pairs written to the model's <c>metadata_props</c>.</summary>
    public SortedDictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Things a user may want to know (weights left in float and why...).</summary>
    public List<string> Notes { get; } = [];
}
