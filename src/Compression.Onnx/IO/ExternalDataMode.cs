namespace Compression.Onnx.IO;

/// <summary>Whether <see cref="OnnxModel.Save(string, ModelSaveOptions?)"/> writes tensor data to a separate file.</summary>
public enum ExternalDataMode
{
    /// <summary>
    /// External when the model already had external data or when one protobuf file would pass
    /// protobuf's 2 GB limit; inline otherwise.
    /// </summary>
    Auto,

    /// <summary>Always write tensors of at least <see cref="ModelSaveOptions.ExternalDataThreshold"/> bytes to the data file.</summary>
    Always,

    /// <summary>Never: every tensor goes inline (fails with <c>CMP1021</c> above 2 GB).</summary>
    Never,
}
