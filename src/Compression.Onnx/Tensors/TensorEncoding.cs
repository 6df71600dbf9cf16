namespace Compression.Onnx.Tensors;

/// <summary>Where a tensor writer puts the values.</summary>
public enum TensorEncoding
{
    /// <summary>Little-endian bytes in <c>raw_data</c> (what exporters and ONNX Runtime write; the compact default).</summary>
    RawData,

    /// <summary>The typed repeated field of the element type (<c>float_data</c>, <c>int32_data</c>, <c>int64_data</c>...).</summary>
    TypedField,
}
