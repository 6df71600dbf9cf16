namespace Compression.Onnx;

// Interim copy until the io branch lands on main (then this folder is deleted).
/// <summary>Stable diagnostic codes carried by <see cref="CompressionException"/>.</summary>
public static partial class DiagnosticCodes
{
    /// <summary>No specific code was given.</summary>
    public const string Unspecified = "CMP0000";
}
