using Onnx;

namespace Compression.Onnx.IO;

/// <summary>Throw helpers for external-data errors.</summary>
internal static class ExternalDataErrors
{
    public static CompressionException Outside(string? modelPath, string location, string reason) => new(
        DiagnosticCodes.ExternalDataOutsideModelFolder,
        $"External-data location '{location}' is refused: {reason}.",
        modelPath,
        "External data must be a relative path to a file inside the model's folder (no absolute path, no '..'). Re-save the model with its data beside it.");

    public static CompressionException SymbolicLink(string? modelPath, string location, string linkPath) => new(
        DiagnosticCodes.ExternalDataSymbolicLink,
        $"External-data location '{location}' is refused: '{linkPath}' is a symbolic link.",
        modelPath,
        "Links could point anywhere on the machine; copy the data file into the model's folder instead of linking it.");

    public static CompressionException HardLink(string? modelPath, string location) => new(
        DiagnosticCodes.ExternalDataHardLink,
        $"External-data file '{location}' is refused: it has more than one hard link.",
        modelPath,
        "A hard link can expose a file from outside the model's folder; copy the data file instead of linking it.");

    public static CompressionException Missing(string? modelPath, string location, Exception? inner, string reason) => new(
        DiagnosticCodes.ExternalDataMissing,
        $"External-data file '{location}' cannot be used: {reason}.",
        modelPath,
        "Copy the model together with its external-data files, keeping them in the same folder.",
        inner);

    public static CompressionException OutOfRange(string? modelPath, TensorProto tensor, string reason) => new(
        DiagnosticCodes.ExternalDataOutOfRange,
        $"The external data of tensor '{tensor.Name}' is invalid: {reason}.",
        modelPath,
        "The model and its external-data file do not match (a truncated or replaced data file); save them again together.");

    public static CompressionException NeedsBaseDirectory(TensorProto tensor) => new(
        DiagnosticCodes.ExternalDataNeedsBaseDirectory,
        $"Tensor '{tensor.Name}' uses external data but the model was read from a stream without a base folder.",
        null,
        "Load the model from its path, or pass the folder of its external-data files as baseDirectory.");
}
