using System.Buffers.Binary;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tensors;

/// <summary>
/// Converts between the typed repeated fields of a <see cref="TensorProto"/> and the <c>raw_data</c>
/// byte layout, following the field rules of onnx.proto (16-bit floats as bit patterns in
/// <c>int32_data</c>, 4-bit pairs packed per <c>int32_data</c> entry, uint32 in <c>uint64_data</c>).
/// </summary>
internal static class TypedFieldCodec
{
    /// <summary>Encodes the typed field of <paramref name="tensor"/> as little-endian raw bytes.</summary>
    public static byte[] Encode(TensorProto tensor, long count, ITensorOwner? model)
    {
        var type = (DataType)tensor.DataType;
        long byteCount = ElementTypes.GetByteCount(tensor.DataType, count);
        if (byteCount > Array.MaxLength)
        {
            throw TensorErrors.TooLargeForArray(tensor, model);
        }

        var bytes = new byte[byteCount];
        switch (type)
        {
            case DataType.Float:
            case DataType.Complex64:
                Check(tensor, tensor.FloatData.Count, type == DataType.Complex64 ? count * 2 : count, model);
                for (int i = 0; i < tensor.FloatData.Count; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), tensor.FloatData[i]);
                }

                break;
            case DataType.Double:
            case DataType.Complex128:
                Check(tensor, tensor.DoubleData.Count, type == DataType.Complex128 ? count * 2 : count, model);
                for (int i = 0; i < tensor.DoubleData.Count; i++)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), tensor.DoubleData[i]);
                }

                break;
            case DataType.Int64:
                Check(tensor, tensor.Int64Data.Count, count, model);
                for (int i = 0; i < tensor.Int64Data.Count; i++)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), tensor.Int64Data[i]);
                }

                break;
            case DataType.Uint32:
            case DataType.Uint64:
                Check(tensor, tensor.Uint64Data.Count, count, model);
                for (int i = 0; i < tensor.Uint64Data.Count; i++)
                {
                    if (type == DataType.Uint32)
                    {
                        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), (uint)tensor.Uint64Data[i]);
                    }
                    else
                    {
                        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), tensor.Uint64Data[i]);
                    }
                }

                break;
            default:
                EncodeInt32Field(tensor, count, bytes, model);
                break;
        }

        return bytes;
    }

    /// <summary>Moves little-endian <paramref name="raw"/> bytes into the typed field of <paramref name="tensor"/>.</summary>
    public static void Decode(TensorProto tensor, ReadOnlySpan<byte> raw)
    {
        var type = (DataType)tensor.DataType;
        int bits = ElementTypes.GetBitsPerElement(tensor.DataType);
        switch (type)
        {
            case DataType.Float:
            case DataType.Complex64:
                for (int i = 0; i < raw.Length; i += 4)
                {
                    tensor.FloatData.Add(BinaryPrimitives.ReadSingleLittleEndian(raw[i..]));
                }

                return;
            case DataType.Double:
            case DataType.Complex128:
                for (int i = 0; i < raw.Length; i += 8)
                {
                    tensor.DoubleData.Add(BinaryPrimitives.ReadDoubleLittleEndian(raw[i..]));
                }

                return;
            case DataType.Int64:
                for (int i = 0; i < raw.Length; i += 8)
                {
                    tensor.Int64Data.Add(BinaryPrimitives.ReadInt64LittleEndian(raw[i..]));
                }

                return;
            case DataType.Uint32:
                for (int i = 0; i < raw.Length; i += 4)
                {
                    tensor.Uint64Data.Add(BinaryPrimitives.ReadUInt32LittleEndian(raw[i..]));
                }

                return;
            case DataType.Uint64:
                for (int i = 0; i < raw.Length; i += 8)
                {
                    tensor.Uint64Data.Add(BinaryPrimitives.ReadUInt64LittleEndian(raw[i..]));
                }

                return;
        }

        // Everything else goes to int32_data: one entry per element, or per packed byte for 4-bit types.
        int step = Math.Max(1, bits / 8);
        for (int i = 0; i < raw.Length; i += step)
        {
            int value = (step, type) switch
            {
                (1, DataType.Int8) => (sbyte)raw[i],
                (1, _) => raw[i],
                (2, DataType.Int16) => BinaryPrimitives.ReadInt16LittleEndian(raw[i..]),
                (2, _) => BinaryPrimitives.ReadUInt16LittleEndian(raw[i..]),
                _ => BinaryPrimitives.ReadInt32LittleEndian(raw[i..]),
            };
            tensor.Int32Data.Add(value);
        }
    }

    private static void EncodeInt32Field(TensorProto tensor, long count, byte[] bytes, ITensorOwner? model)
    {
        int bits = ElementTypes.GetBitsPerElement(tensor.DataType);
        // 4-bit types keep one packed byte (two elements) per int32_data entry.
        long entries = bits == 4 ? bytes.Length : count;
        Check(tensor, tensor.Int32Data.Count, entries, model);
        for (int i = 0; i < tensor.Int32Data.Count; i++)
        {
            int value = tensor.Int32Data[i];
            switch (bits)
            {
                case 4:
                case 8:
                    bytes[i] = unchecked((byte)value);
                    break;
                case 16:
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), unchecked((ushort)value));
                    break;
                default:
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), value);
                    break;
            }
        }
    }

    private static void Check(TensorProto tensor, int actual, long expected, ITensorOwner? model)
    {
        if (actual != expected)
        {
            throw TensorErrors.DataMismatch(tensor, $"{actual} values in its typed field where its shape needs {expected}", model);
        }
    }
}
