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

    /// <summary>
    /// Whether tensors held in node attributes (<c>Constant</c> values) may go to the data file too; by
    /// default only initializers do, as with onnx's <c>convert_attribute=False</c>, because not every
    /// runtime resolves external data inside attributes.
    /// </summary>
    public bool ExternalizeAttributeTensors { get; init; }

    /// <summary>Tensor bytes above which one protobuf file is too large; lowered only by tests to exercise the 2 GB rule cheaply.</summary>
    internal long InlineLimit { get; init; } = ModelWriter.InlineLimit;

    /// <summary>The options used when none are given.</summary>
    public static ModelSaveOptions Default { get; } = new();
}
