namespace Compression.Onnx;

/// <summary>
/// Stable diagnostic codes carried by <see cref="CompressionException"/>. Each code is listed with its
/// cause and fix in <c>docs/diagnostics.md</c>. The class is partial so that each area keeps its codes
/// in its own file (<c>CMP1xxx</c> model IO and graph here).
/// </summary>
public static partial class DiagnosticCodes
{
    /// <summary>No specific code was given.</summary>
    public const string Unspecified = "CMP0000";

    /// <summary>The model file does not exist or cannot be opened.</summary>
    public const string ModelFileNotFound = "CMP1001";

    /// <summary>The file is not a readable protobuf message: truncated, corrupt or random bytes.</summary>
    public const string ModelUnreadable = "CMP1002";

    /// <summary>The file is a protobuf message but not an ONNX model (no IR version or no graph).</summary>
    public const string NotAnOnnxModel = "CMP1003";

    /// <summary>Messages (usually subgraphs) are nested deeper than the reader allows.</summary>
    public const string NestingTooDeep = "CMP1004";

    /// <summary>A tensor has a negative dimension or an element count that overflows.</summary>
    public const string InvalidTensorShape = "CMP1005";

    /// <summary>A tensor's data does not match its element type and shape.</summary>
    public const string TensorDataMismatch = "CMP1006";

    /// <summary>A tensor's element type cannot be read or written the way it was asked for.</summary>
    public const string UnsupportedElementType = "CMP1007";

    /// <summary>The model file is larger than protobuf can read (2 GB).</summary>
    public const string ModelTooLarge = "CMP1008";

    /// <summary>An external-data location is absolute or leaves the model's folder.</summary>
    public const string ExternalDataOutsideModelFolder = "CMP1010";

    /// <summary>An external-data file or a folder on its path is a symbolic link.</summary>
    public const string ExternalDataSymbolicLink = "CMP1011";

    /// <summary>An external-data file has more than one hard link.</summary>
    public const string ExternalDataHardLink = "CMP1012";

    /// <summary>An external-data file does not exist.</summary>
    public const string ExternalDataMissing = "CMP1013";

    /// <summary>An external-data offset or length is invalid or lies outside the file.</summary>
    public const string ExternalDataOutOfRange = "CMP1014";

    /// <summary>A model with external data was read from a stream without a base folder.</summary>
    public const string ExternalDataNeedsBaseDirectory = "CMP1015";

    /// <summary>The model could not be written (I/O error, permissions, disk full).</summary>
    public const string SaveFailed = "CMP1020";

    /// <summary>The model is too large to save as one protobuf file and external data was disabled.</summary>
    public const string ModelTooLargeForSingleFile = "CMP1021";

    /// <summary>A graph edit refers to a name, node or graph that does not exist.</summary>
    public const string GraphElementNotFound = "CMP1030";

    /// <summary>Inserted nodes cannot be placed in topological order (they would form a cycle).</summary>
    public const string GraphNotTopological = "CMP1031";
}
