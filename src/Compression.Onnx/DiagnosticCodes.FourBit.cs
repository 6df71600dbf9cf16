namespace Compression.Onnx;

/// <summary>Codes of the 4-bit weight-only passes (<c>CMP44xx</c>).</summary>
public static partial class DiagnosticCodes
{
    /// <summary>A 4-bit block size is not a power of two of at least 16.</summary>
    public const string InvalidBlockSize = "CMP4400";

    /// <summary>A <c>MatMulNBits</c> accuracy level is outside 0..4.</summary>
    public const string InvalidAccuracyLevel = "CMP4401";

    /// <summary>4-bit quantization found no weight it could store in 4 or 8 bits.</summary>
    public const string NothingToQuantizeInFourBits = "CMP4402";

    /// <summary>4-bit quantization was asked for with a mode other than weight-only.</summary>
    public const string FourBitModeUnsupported = "CMP4403";
}
