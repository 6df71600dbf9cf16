namespace Compression.Onnx;

// The engine's boundary (EngineBoundary): failures that are not about one tensor or one pass.
public static partial class DiagnosticCodes
{
    /// <summary>
    /// An unexpected error inside the engine (a bug, not the user's input): reported with the model, the setting,
    /// one line of cause and the path of a log with the full trace. Same value as <see cref="Unspecified"/>.
    /// </summary>
    public const string InternalError = Unspecified;

    /// <summary>The model needs more memory than the machine can give the process (checked before any work, or ran out during it).</summary>
    public const string OutOfMemory = "CMP1040";

    /// <summary>A file the engine reads or writes could not be accessed (locked, permissions, disk full).</summary>
    public const string FileAccessFailed = "CMP1041";
}
