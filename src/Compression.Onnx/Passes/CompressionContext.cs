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

    /// <summary>Told the share of the running stage that is done (0 to 1), from any thread; null when nobody listens.</summary>
    public Action<double>? StageProgress { get; set; }

    /// <summary>
    /// A weight counter for one phase of a pass that maps into <paramref name="from"/>..<paramref name="to"/> of the stage
    /// (<see cref="RewritePass"/> gives each rewrite that counts weights its share), or null when nobody listens.
    /// Thread-safe, like <see cref="StageProgress"/>.
    /// </summary>
    public Action<int, int>? WeightsDone(double from = 0, double to = 1) =>
        StageProgress is not { } report ? null : (done, total) => report(from + ((to - from) * (total == 0 ? 1 : Math.Min(1, (double)done / total))));
}
