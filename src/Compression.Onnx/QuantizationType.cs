namespace Compression.Onnx;

// The member names are the values users write in Quantize="...", so they name types on purpose.
#pragma warning disable CA1720

/// <summary>The precision the weights (and, in some modes, the computation) are stored in: the <c>Quantize</c> item metadata.</summary>
public enum QuantizationType
{
    /// <summary>No quantization: the weights stay as they are.</summary>
    None,

    /// <summary>Signed 8-bit integers (symmetric by default).</summary>
    Int8,

    /// <summary>Unsigned 8-bit integers (asymmetric by default).</summary>
    UInt8,

    /// <summary>Signed 4-bit integers in blocks.</summary>
    Int4,

    /// <summary>Unsigned 4-bit integers in blocks.</summary>
    UInt4,

    /// <summary>IEEE 754 half precision.</summary>
    Float16,

    /// <summary>Brain floating point: float32's exponent range with 7 mantissa bits.</summary>
    BFloat16,
}
#pragma warning restore CA1720
