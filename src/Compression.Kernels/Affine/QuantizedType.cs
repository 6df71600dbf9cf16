using System.Diagnostics.CodeAnalysis;

namespace Compression.Kernels;

/// <summary>Integer element types a float tensor can be quantized to.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The ONNX element type names are the users' words.")]
public enum QuantizedType
{
    /// <summary>Signed 8-bit, [-128, 127] (symmetric: [-127, 127]; reduced range: [-64, 64]).</summary>
    Int8,

    /// <summary>Unsigned 8-bit, [0, 255] (symmetric: [0, 254]; reduced range: [0, 127]).</summary>
    UInt8,

    /// <summary>Signed 4-bit, [-8, 7] (reduced range: [-4, 3]).</summary>
    Int4,

    /// <summary>Unsigned 4-bit, [0, 15] (reduced range: [0, 7]).</summary>
    UInt4,
}
