namespace Compression.Onnx.IO;

/// <summary>Options for <see cref="OnnxModel.Save(string, ModelSaveOptions?)"/>.</summary>
public sealed class ModelSaveOptions
{
    /// <summary>Whether tensor data goes to a separate file.</summary>
    public ExternalDataMode ExternalData { get; init; } = ExternalDataMode.Auto;

    /// <summary>
    /// File name (no folder) of the external-data file, written beside the model; default
    /// <c>&lt;model file name&gt;.data</c>.
    /// </summary>
    public string? ExternalDataFileName { get; init; }

    /// <summary>Tensors with fewer bytes than this stay inline even when external data is written (default 1024).</summary>
    public long ExternalDataThreshold { get; init; } = 1024;

    /// <summary>The options used when none are given.</summary>
    public static ModelSaveOptions Default { get; } = new();
}
