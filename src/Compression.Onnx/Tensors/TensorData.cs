using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Compression.Kernels;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tensors;

/// <summary>
/// Reads and writes the values of a <see cref="TensorProto"/> whatever way they are stored:
/// <c>raw_data</c> (little endian), the typed fields (<c>float_data</c>, <c>int32_data</c>...) or
/// external data (through the <see cref="ITensorOwner"/> the tensor belongs to).
/// </summary>
/// <remarks>ONNX data is little endian; .NET 10 runs on little-endian hardware only, so raw bytes are reinterpreted in place.</remarks>
public static partial class TensorData
{
    /// <summary>The number of elements of a tensor (product of its dims; 1 for a scalar).</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="model">The model it belongs to, used only to name the file in errors.</param>
    /// <exception cref="CompressionException"><c>CMP1005</c>: a negative dim or an overflowing product.</exception>
    public static long GetElementCount(TensorProto tensor, ITensorOwner? model = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return GetElementCount(tensor.Dims, tensor.Name, model?.FilePath);
    }

    internal static long GetElementCount(IReadOnlyList<long> dims, string tensorName, string? filePath)
    {
        long count = 1;
        for (int i = 0; i < dims.Count; i++)
        {
            long dim = dims[i];
            if (dim < 0)
            {
                throw TensorErrors.InvalidShape(tensorName, $"dimension {i} is negative ({dim})", filePath);
            }

            if (dim != 0 && count > long.MaxValue / dim)
            {
                throw TensorErrors.InvalidShape(tensorName, "its element count overflows a 64-bit integer", filePath);
            }

            count *= dim;
        }

        return count;
    }

    /// <summary>Bytes <paramref name="count"/> elements take in <c>raw_data</c>; -1 for a type without a fixed size; CMP1005 when the size overflows 64 bits.</summary>
    internal static long GetByteCount(int dataType, long count, string tensorName, string? filePath)
    {
        long bytes = ElementTypes.GetByteCount(dataType, count);
        if (bytes < 0 && count >= 0 && ElementTypes.GetBitsPerElement(dataType) != 0)
        {
            throw TensorErrors.InvalidShape(tensorName, $"its {count} elements of {ElementTypes.GetName(dataType)} take more bytes than a 64-bit integer can count", filePath);
        }

        return bytes;
    }

    /// <summary>Reads a <c>float</c>, <c>float16</c>, <c>bfloat16</c> or <c>double</c> tensor as floats.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="model">The model, needed when the tensor uses external data.</param>
    /// <exception cref="CompressionException"><c>CMP1007</c> for another element type, <c>CMP1006</c> when the data does not match the shape.</exception>
    public static float[] ReadFloats(TensorProto tensor, ITensorOwner? model = null)
    {
        long count = GetElementCount(tensor, model);
        if (count > Array.MaxLength)
        {
            throw TensorErrors.TooLargeForArray(tensor, model);
        }

        var values = new float[count];
        ReadFloats(tensor, values, model);
        return values;
    }

    /// <summary>Reads a <c>float</c>, <c>float16</c>, <c>bfloat16</c> or <c>double</c> tensor into <paramref name="destination"/>.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="destination">Exactly <see cref="GetElementCount(TensorProto, ITensorOwner?)"/> floats.</param>
    /// <param name="model">The model, needed when the tensor uses external data.</param>
    public static void ReadFloats(TensorProto tensor, Span<float> destination, ITensorOwner? model = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        long count = GetElementCount(tensor, model);
        if (destination.Length != count)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats but tensor '{tensor.Name}' has {count} elements.", nameof(destination));
        }

        if (!ElementTypes.IsFloatLike(tensor.DataType))
        {
            throw TensorErrors.NotFloat(tensor, model);
        }

        var type = (DataType)tensor.DataType;
        if (UsesBytes(tensor))
        {
            ReadOnlySpan<byte> bytes = GetBytes(tensor, model, count).Span;
            switch (type)
            {
                case DataType.Float:
                    MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
                    return;
                case DataType.Double:
                    ReadOnlySpan<double> doubles = MemoryMarshal.Cast<byte, double>(bytes);
                    for (int i = 0; i < doubles.Length; i++)
                    {
                        destination[i] = (float)doubles[i];
                    }

                    return;
                case DataType.Float16:
                    FloatConverter.FromHalf(MemoryMarshal.Cast<byte, Half>(bytes), destination);
                    return;
                case DataType.Bfloat16:
                    FloatConverter.FromBFloat16(MemoryMarshal.Cast<byte, ushort>(bytes), destination);
                    return;
                default:
                    throw TensorErrors.NotFloat(tensor, model);
            }
        }

        switch (type)
        {
            case DataType.Float:
                CheckTypedCount(tensor, tensor.FloatData.Count, count, model);
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = tensor.FloatData[i];
                }

                return;
            case DataType.Double:
                CheckTypedCount(tensor, tensor.DoubleData.Count, count, model);
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)tensor.DoubleData[i];
                }

                return;
            case DataType.Float16:
                CheckTypedCount(tensor, tensor.Int32Data.Count, count, model);
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BitConverter.UInt16BitsToHalf((ushort)tensor.Int32Data[i]);
                }

                return;
            case DataType.Bfloat16:
                CheckTypedCount(tensor, tensor.Int32Data.Count, count, model);
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BitConverter.Int32BitsToSingle(tensor.Int32Data[i] << 16);
                }

                return;
            default:
                throw TensorErrors.NotFloat(tensor, model);
        }
    }

    /// <summary>Reads any integer or <c>bool</c> tensor (int4/uint4 unpacked) as 64-bit integers; <c>uint64</c> values above <see cref="long.MaxValue"/> wrap.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="model">The model, needed when the tensor uses external data.</param>
    public static long[] ReadInt64s(TensorProto tensor, ITensorOwner? model = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        long count = GetElementCount(tensor, model);
        var type = (DataType)tensor.DataType;
        if (!IsInteger(type))
        {
            throw TensorErrors.Unsupported(tensor, "read as integers", model);
        }

        if (count > Array.MaxLength)
        {
            throw TensorErrors.TooLargeForArray(tensor, model);
        }

        var values = new long[count];
        if (!UsesBytes(tensor))
        {
            // Typed fields hold integers directly (int4 pairs are packed per int32 entry).
            if (type is DataType.Int64)
            {
                CheckTypedCount(tensor, tensor.Int64Data.Count, count, model);
                tensor.Int64Data.CopyTo(values, 0);
                return values;
            }

            if (type is DataType.Uint32 or DataType.Uint64)
            {
                CheckTypedCount(tensor, tensor.Uint64Data.Count, count, model);
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = unchecked((long)tensor.Uint64Data[i]);
                }

                return values;
            }

            if (type is not (DataType.Int4 or DataType.Uint4))
            {
                CheckTypedCount(tensor, tensor.Int32Data.Count, count, model);
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = Narrow(type, tensor.Int32Data[i]);
                }

                return values;
            }
        }

        ReadOnlySpan<byte> bytes = (UsesBytes(tensor) ? GetBytes(tensor, model, count) : TypedFieldCodec.Encode(tensor, count, model)).Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = type switch
            {
                DataType.Int8 => (sbyte)bytes[i],
                DataType.Uint8 or DataType.Bool => bytes[i],
                DataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes[(i * 2)..]),
                DataType.Uint16 => BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]),
                DataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 4)..]),
                DataType.Uint32 => BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i * 4)..]),
                DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * 8)..]),
                DataType.Uint64 => unchecked((long)BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * 8)..])),
                DataType.Int4 => ((sbyte)(Nibble(bytes, i) << 4)) >> 4,
                _ => Nibble(bytes, i),
            };
        }

        return values;
    }

    /// <summary>Reads a <c>string</c> tensor (UTF-8 elements).</summary>
    /// <param name="tensor">The tensor.</param>
    public static string[] ReadStrings(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if ((DataType)tensor.DataType != DataType.String)
        {
            throw TensorErrors.Unsupported(tensor, "read as strings", null);
        }

        long count = GetElementCount(tensor);
        CheckTypedCount(tensor, tensor.StringData.Count, count, null);
        var values = new string[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = tensor.StringData[i].ToStringUtf8();
        }

        return values;
    }

    /// <summary>
    /// The tensor's values as little-endian bytes in the <c>raw_data</c> layout (4-bit types packed low
    /// nibble first). Raw and external data are returned without copying (external data stays
    /// memory-mapped while the model is alive); typed fields are encoded into a new array.
    /// </summary>
    /// <param name="tensor">A tensor of any fixed-size element type.</param>
    /// <param name="model">The model, needed when the tensor uses external data.</param>
    public static ReadOnlyMemory<byte> GetRawBytes(TensorProto tensor, ITensorOwner? model = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        long count = GetElementCount(tensor, model);
        if (ElementTypes.GetBitsPerElement(tensor.DataType) == 0)
        {
            throw TensorErrors.Unsupported(tensor, "read as raw bytes", model);
        }

        return UsesBytes(tensor) ? GetBytes(tensor, model, count) : TypedFieldCodec.Encode(tensor, count, model);
    }

    /// <summary>Whether the values live in <c>raw_data</c> or external data rather than a typed field.</summary>
    /// <param name="tensor">The tensor.</param>
    public static bool UsesBytes(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.HasRawData || IsExternal(tensor);
    }

    /// <summary>Whether the tensor's values are stored in an external file.</summary>
    /// <param name="tensor">The tensor.</param>
    public static bool IsExternal(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.HasDataLocation && tensor.DataLocation == TensorProto.Types.DataLocation.External;
    }

    private static ReadOnlyMemory<byte> GetBytes(TensorProto tensor, ITensorOwner? model, long count)
    {
        long expected = ElementTypes.GetByteCount(tensor.DataType, count);
        ReadOnlyMemory<byte> bytes;
        if (IsExternal(tensor))
        {
            if (model is null)
            {
                throw new ArgumentException($"Tensor '{tensor.Name}' uses external data: pass the model it belongs to.", nameof(model));
            }

            bytes = model.GetExternalBytes(tensor);
        }
        else
        {
            bytes = tensor.RawData.Memory;
        }

        if (expected < 0 || bytes.Length != expected)
        {
            throw TensorErrors.DataMismatch(tensor, $"{bytes.Length} bytes of data where {count} elements of {ElementTypes.GetName(tensor.DataType)} need {expected}", model);
        }

        return bytes;
    }

    private static void CheckTypedCount(TensorProto tensor, int actual, long expected, ITensorOwner? model)
    {
        if (actual != expected)
        {
            throw TensorErrors.DataMismatch(tensor, $"{actual} values in its typed field where its shape needs {expected}", model);
        }
    }

    private static bool IsInteger(DataType type) => type is DataType.Int8 or DataType.Uint8 or DataType.Int16 or DataType.Uint16
        or DataType.Int32 or DataType.Uint32 or DataType.Int64 or DataType.Uint64 or DataType.Bool or DataType.Int4 or DataType.Uint4;

    private static long Narrow(DataType type, int value) => type switch
    {
        DataType.Int8 => (sbyte)value,
        DataType.Uint8 or DataType.Bool => (byte)value,
        DataType.Int16 => (short)value,
        DataType.Uint16 => (ushort)value,
        _ => value,
    };

    private static int Nibble(ReadOnlySpan<byte> packed, int index) =>
        (index & 1) == 0 ? packed[index >> 1] & 0x0F : packed[index >> 1] >> 4;

    internal static string Describe(TensorProto tensor) =>
        string.IsNullOrEmpty(tensor.Name) ? "an unnamed tensor" : string.Create(CultureInfo.InvariantCulture, $"tensor '{tensor.Name}'");

    internal static ByteString Wrap(byte[] bytes) => UnsafeByteOperations.UnsafeWrap(bytes);
}
