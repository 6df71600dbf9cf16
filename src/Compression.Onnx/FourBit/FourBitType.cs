namespace Compression.Onnx.FourBit;

// The member names are the values users write in Quantize="...", so they name types on purpose.
#pragma warning disable CA1720

/// <summary>The 4-bit weight type asked for.</summary>
public enum FourBitType
{
    /// <summary>Signed 4-bit integers in [-8, 7] (symmetric by default).</summary>
    Int4,

    /// <summary>Unsigned 4-bit integers in [0, 15] (asymmetric by default).</summary>
    UInt4,
}
#pragma warning restore CA1720
