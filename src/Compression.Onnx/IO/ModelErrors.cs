namespace Compression.Onnx.IO;

/// <summary>Throw helpers for model IO errors: one place for the messages and help texts.</summary>
internal static class ModelErrors
{
    public static CompressionException FileNotFound(string path, Exception? inner) => new(
        DiagnosticCodes.ModelFileNotFound,
        $"The model file '{path}' does not exist or cannot be opened.",
        path,
        "Check the path (relative paths are relative to the project folder) and the file permissions.",
        inner);

    public static CompressionException Unreadable(string? path, Exception inner) => new(
        DiagnosticCodes.ModelUnreadable,
        $"The file is not a readable ONNX model: {inner.Message}",
        path,
        "The file is truncated or corrupt (an interrupted download, a Git LFS pointer, a different format). Download or export the model again.",
        inner);

    public static CompressionException NotOnnx(string? path, string reason) => new(
        DiagnosticCodes.NotAnOnnxModel,
        $"The file is a protobuf message but not an ONNX model: {reason}.",
        path,
        "Pass the .onnx model itself, not a tensor (.pb), an ORT-format or another protobuf file.");

    public static CompressionException NestingTooDeep(string? path, Exception? inner) => new(
        DiagnosticCodes.NestingTooDeep,
        "The model nests subgraphs or messages deeper than the reader allows.",
        path,
        "Real models nest If/Loop/Scan bodies a few levels deep; this file is malformed or crafted. Raise ModelLoadOptions.RecursionLimit only for a model you trust.",
        inner);

    public static CompressionException TooLarge(string path, long length) => new(
        DiagnosticCodes.ModelTooLarge,
        $"The model file is {length} bytes; a single protobuf file cannot exceed 2 GB.",
        path,
        "Save the model with its weights as external data (onnx.save_model(..., save_as_external_data=True)).");

    public static CompressionException SaveFailed(string path, Exception inner) => new(
        DiagnosticCodes.SaveFailed,
        $"The model could not be written: {inner.Message}",
        path,
        "Check that the output folder exists, is writable and has free space.",
        inner);

    public static CompressionException TooLargeForSingleFile(string path, long bytes) => new(
        DiagnosticCodes.ModelTooLargeForSingleFile,
        $"The model holds about {bytes} bytes of tensor data, more than one protobuf file can take (2 GB), and external data was disabled.",
        path,
        "Save with ExternalDataMode.Auto or Always so the weights go to an external-data file.");
}
