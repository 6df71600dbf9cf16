using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tensors;

/// <summary>Facts about ONNX element types (<see cref="TensorProto.Types.DataType"/>): names and sizes.</summary>
public static class ElementTypes
{
    /// <summary>
    /// The ONNX name of an element type in lower case, as used in the manifest: <c>float</c>,
    /// <c>float16</c>, <c>bfloat16</c>, <c>int8</c>, <c>uint4</c>, <c>string</c>... Unknown values give
    /// <c>undefined</c> for 0 and <c>type&lt;n&gt;</c> otherwise.
    /// </summary>
    /// <param name="dataType">The <c>TensorProto.data_type</c> value.</param>
    public static string GetName(int dataType) => (DataType)dataType switch
    {
        DataType.Undefined => "undefined",
        DataType.Float => "float",
        DataType.Uint8 => "uint8",
        DataType.Int8 => "int8",
        DataType.Uint16 => "uint16",
        DataType.Int16 => "int16",
        DataType.Int32 => "int32",
        DataType.Int64 => "int64",
        DataType.String => "string",
        DataType.Bool => "bool",
        DataType.Float16 => "float16",
        DataType.Double => "double",
        DataType.Uint32 => "uint32",
        DataType.Uint64 => "uint64",
        DataType.Complex64 => "complex64",
        DataType.Complex128 => "complex128",
        DataType.Bfloat16 => "bfloat16",
        DataType.Float8E4M3Fn => "float8e4m3fn",
        DataType.Float8E4M3Fnuz => "float8e4m3fnuz",
        DataType.Float8E5M2 => "float8e5m2",
        DataType.Float8E5M2Fnuz => "float8e5m2fnuz",
        DataType.Uint4 => "uint4",
        DataType.Int4 => "int4",
        DataType.Float4E2M1 => "float4e2m1",
        _ => "type" + dataType.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Bits one element takes in <c>raw_data</c>: 4 for the packed 4-bit types, 8..128 for the others,
    /// 0 for <c>string</c> and unknown types (no fixed size).
    /// </summary>
    /// <param name="dataType">The <c>TensorProto.data_type</c> value.</param>
    public static int GetBitsPerElement(int dataType) => (DataType)dataType switch
    {
        DataType.Uint4 or DataType.Int4 or DataType.Float4E2M1 => 4,
        DataType.Uint8 or DataType.Int8 or DataType.Bool
            or DataType.Float8E4M3Fn or DataType.Float8E4M3Fnuz or DataType.Float8E5M2 or DataType.Float8E5M2Fnuz => 8,
        DataType.Uint16 or DataType.Int16 or DataType.Float16 or DataType.Bfloat16 => 16,
        DataType.Float or DataType.Int32 or DataType.Uint32 => 32,
        DataType.Int64 or DataType.Uint64 or DataType.Double or DataType.Complex64 => 64,
        DataType.Complex128 => 128,
        _ => 0,
    };

    /// <summary>Whether the element type is <c>float</c>, <c>float16</c>, <c>bfloat16</c> or <c>double</c>: readable as floats.</summary>
    /// <param name="dataType">The <c>TensorProto.data_type</c> value.</param>
    public static bool IsFloatLike(int dataType) => (DataType)dataType is DataType.Float or DataType.Float16 or DataType.Bfloat16 or DataType.Double;

    /// <summary>Bytes that <paramref name="elementCount"/> elements take in <c>raw_data</c> (4-bit types round up), or -1 on overflow or an unsized type.</summary>
    /// <param name="dataType">The <c>TensorProto.data_type</c> value.</param>
    /// <param name="elementCount">Number of elements.</param>
    public static long GetByteCount(int dataType, long elementCount)
    {
        int bits = GetBitsPerElement(dataType);
        if (bits == 0 || elementCount < 0)
        {
            return -1;
        }

        if (bits == 4)
        {
            return (elementCount / 2) + (elementCount & 1);
        }

        long bytesPerElement = bits / 8;
        return elementCount > long.MaxValue / bytesPerElement ? -1 : elementCount * bytesPerElement;
    }
}
