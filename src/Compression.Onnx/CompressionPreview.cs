using Compression.Onnx.IO;

namespace Compression.Onnx;

/// <summary>
/// What <see cref="ModelCompressor.Preview"/> found: the passes' summary and notes and the rewritten model, held in
/// memory only (nothing was written or validated). Dispose it to release the model.
/// </summary>
public sealed class CompressionPreview : IDisposable
{
    internal CompressionPreview(OnnxModel model, string summary, IReadOnlyList<string> notes)
    {
        Model = model;
        Summary = summary;
        Notes = notes;
    }

    /// <summary>The model as the compression would write it (an in-memory copy; the source is untouched).</summary>
    public OnnxModel Model { get; }

    /// <summary>The same one-line summary the compression reports, e.g. <c>Int8 dynamic, per-channel symmetric weights (...)</c>.</summary>
    public string Summary { get; }

    /// <summary>The passes' notes (forms chosen because of the opset, weights left in float and why...).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
