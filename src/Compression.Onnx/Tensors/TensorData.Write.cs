using System.Runtime.InteropServices;
using Compression.Kernels;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tensors;

// Writers: every Create* builds a new TensorProto; WriteFloats overwrites a tensor's values in place.
public static partial class TensorData
{
    /// <summary>Creates a <c>float</c> tensor.</summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="dims">Shape (empty for a scalar).</param>
    /// <param name="values">Values, as many as the shape holds.</param>
    /// <param name="encoding">Where to store them.</param>
    public static TensorProto CreateFloat(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> values, TensorEncoding encoding = TensorEncoding.RawData) =>
        Create(name, DataType.Float, dims, values.Length, MemoryMarshal.AsBytes(values).ToArray(), encoding);

    /// <summary>Creates a <c>float16</c> tensor from floats (rounded to nearest even).</summary>
    /// <inheritdoc cref="CreateFloat"/>
    public static TensorProto CreateFloat16(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> values, TensorEncoding encoding = TensorEncoding.RawData)
    {
        var bytes = new byte[checked(values.Length * 2)];
        FloatConverter.ToHalf(values, MemoryMarshal.Cast<byte, Half>(bytes.AsSpan()));
        return Create(name, DataType.Float16, dims, values.Length, bytes, encoding);
    }

    /// <summary>Creates a <c>bfloat16</c> tensor from floats (rounded to nearest even).</summary>
    /// <inheritdoc cref="CreateFloat"/>
    public static TensorProto CreateBFloat16(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> values, TensorEncoding encoding = TensorEncoding.RawData)
    {
        var bytes = new byte[checked(values.Length * 2)];
        FloatConverter.ToBFloat16(values, MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan()));
        return Create(name, DataType.Bfloat16, dims, values.Length, bytes, encoding);
    }

    /// <summary>Creates an <c>int8</c> tensor.</summary>
    /// <inheritdoc cref="CreateFloat"/>
    public static TensorProto CreateInt8(string name, ReadOnlySpan<long> dims, ReadOnlySpan<sbyte> values, TensorEncoding encoding = TensorEncoding.RawData) =>
        Create(name, DataType.Int8, dims, values.Length, MemoryMarshal.AsBytes(values).ToArray(), encoding);

    /// <summary>Creates a <c>uint8</c> tensor.</summary>
    /// <inheritdoc cref="CreateFloat"/>
    public static TensorProto CreateUInt8(string name, ReadOnlySpan<long> dims, ReadOnlySpan<byte> values, TensorEncoding encoding = TensorEncoding.RawData) =>
        Create(name, DataType.Uint8, dims, values.Length, values.ToArray(), encoding);

    /// <summary>Creates an <c>int32</c> tensor.</summary>
    /// <inheritdoc cref="CreateFloat"/>
    public static TensorProto CreateInt32(string name, ReadOnlySpan<long> dims, ReadOnlySpan<int> values, TensorEncoding encoding = TensorEncoding.RawData) =>
        Create(name, DataType.Int32, dims, values.Length, MemoryMarshal.AsBytes(values).ToArray(), encoding);

    /// <summary>Creates an <c>int64</c> tensor.</summary>
    /// <inheritdoc cref="CreateFloat"/>
    public static TensorProto CreateInt64(string name, ReadOnlySpan<long> dims, ReadOnlySpan<long> values, TensorEncoding encoding = TensorEncoding.RawData) =>
        Create(name, DataType.Int64, dims, values.Length, MemoryMarshal.AsBytes(values).ToArray(), encoding);

    /// <summary>Creates an <c>int4</c> tensor: values in [-8, 7], packed two per byte, low nibble first.</summary>
    /// <inheritdoc cref="CreateFloat"/>
    public static TensorProto CreateInt4(string name, ReadOnlySpan<long> dims, ReadOnlySpan<sbyte> values, TensorEncoding encoding = TensorEncoding.RawData)
    {
        var packed = new byte[(values.Length + 1) / 2];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is < -8 or > 7)
            {
                throw new ArgumentOutOfRangeException(nameof(values), values[i], $"int4 value at index {i} is outside [-8, 7].");
            }

            packed[i >> 1] |= (byte)((values[i] & 0x0F) << ((i & 1) * 4));
        }

        return Create(name, DataType.Int4, dims, values.Length, packed, encoding);
    }

    /// <summary>Creates a <c>uint4</c> tensor: values in [0, 15], packed two per byte, low nibble first.</summary>
    /// <inheritdoc cref="CreateFloat"/>
    public static TensorProto CreateUInt4(string name, ReadOnlySpan<long> dims, ReadOnlySpan<byte> values, TensorEncoding encoding = TensorEncoding.RawData)
    {
        var packed = new byte[(values.Length + 1) / 2];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] > 15)
            {
                throw new ArgumentOutOfRangeException(nameof(values), values[i], $"uint4 value at index {i} is above 15.");
            }

            packed[i >> 1] |= (byte)(values[i] << ((i & 1) * 4));
        }

        return Create(name, DataType.Uint4, dims, values.Length, packed, encoding);
    }

    /// <summary>Creates a <c>string</c> tensor (UTF-8, always in <c>string_data</c>).</summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="dims">Shape (empty for a scalar).</param>
    /// <param name="values">Values, as many as the shape holds.</param>
    public static TensorProto CreateString(string name, ReadOnlySpan<long> dims, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        TensorProto tensor = NewTensor(name, DataType.String, dims, values.Count);
        foreach (string value in values)
        {
            tensor.StringData.Add(ByteString.CopyFromUtf8(value));
        }

        return tensor;
    }

    /// <summary>Creates a tensor of any fixed-size element type from little-endian raw bytes (taken over, not copied).</summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="dataType">The <c>TensorProto.data_type</c>.</param>
    /// <param name="dims">Shape.</param>
    /// <param name="rawBytes">The bytes, owned by the tensor from now on.</param>
    public static TensorProto CreateFromRawBytes(string name, int dataType, ReadOnlySpan<long> dims, byte[] rawBytes)
    {
        ArgumentNullException.ThrowIfNull(rawBytes);
        long count = GetElementCount(dims.ToArray(), name, null);
        if (ElementTypes.GetByteCount(dataType, count) != rawBytes.Length)
        {
            throw new ArgumentException($"{rawBytes.Length} bytes do not hold {count} elements of {ElementTypes.GetName(dataType)}.", nameof(rawBytes));
        }

        TensorProto tensor = NewTensor(name, (DataType)dataType, dims, count);
        tensor.RawData = Wrap(rawBytes);
        return tensor;
    }

    /// <summary>
    /// Overwrites the values of a <c>float</c>, <c>float16</c>, <c>bfloat16</c> or <c>double</c> tensor,
    /// keeping its name, element type and shape; the values go to <c>raw_data</c> (any typed field or
    /// external-data reference is cleared).
    /// </summary>
    /// <param name="tensor">The tensor to change.</param>
    /// <param name="values">Exactly <see cref="GetElementCount(TensorProto, ITensorOwner?)"/> values.</param>
    public static void WriteFloats(TensorProto tensor, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        long count = GetElementCount(tensor);
        if (values.Length != count)
        {
            throw new ArgumentException($"Tensor '{tensor.Name}' has {count} elements, not {values.Length}.", nameof(values));
        }

        long[] dims = [.. tensor.Dims];
        TensorProto replacement = (DataType)tensor.DataType switch
        {
            DataType.Float => CreateFloat(tensor.Name, dims, values),
            DataType.Float16 => CreateFloat16(tensor.Name, dims, values),
            DataType.Bfloat16 => CreateBFloat16(tensor.Name, dims, values),
            DataType.Double => CreateDouble(values),
            _ => throw TensorErrors.NotFloat(tensor, null),
        };
        ClearValues(tensor);
        tensor.RawData = replacement.RawData;
    }

    /// <summary>Removes every stored value of a tensor (typed fields, raw data, external reference), keeping name, type and shape.</summary>
    /// <param name="tensor">The tensor.</param>
    public static void ClearValues(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.FloatData.Clear();
        tensor.Int32Data.Clear();
        tensor.StringData.Clear();
        tensor.Int64Data.Clear();
        tensor.DoubleData.Clear();
        tensor.Uint64Data.Clear();
        tensor.ClearRawData();
        tensor.ExternalData.Clear();
        tensor.ClearDataLocation();
    }

    private static TensorProto CreateDouble(ReadOnlySpan<float> values)
    {
        var bytes = new byte[checked(values.Length * 8)];
        Span<double> doubles = MemoryMarshal.Cast<byte, double>(bytes.AsSpan());
        for (int i = 0; i < values.Length; i++)
        {
            doubles[i] = values[i];
        }

        return new TensorProto { RawData = Wrap(bytes) };
    }

    private static TensorProto Create(string name, DataType type, ReadOnlySpan<long> dims, long count, byte[] bytes, TensorEncoding encoding)
    {
        TensorProto tensor = NewTensor(name, type, dims, count);
        if (encoding == TensorEncoding.TypedField)
        {
            TypedFieldCodec.Decode(tensor, bytes);
        }
        else
        {
            // The array is new and owned by the tensor from here: wrapping it avoids a second copy.
            tensor.RawData = Wrap(bytes);
        }

        return tensor;
    }

    private static TensorProto NewTensor(string name, DataType type, ReadOnlySpan<long> dims, long count)
    {
        ArgumentNullException.ThrowIfNull(name);
        long expected = GetElementCount(dims.ToArray(), name, null);
        if (expected != count)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", dims.ToArray())}] holds {expected} elements but {count} values were given.", nameof(dims));
        }

        var tensor = new TensorProto { Name = name, DataType = (int)type };
        tensor.Dims.AddRange(dims.ToArray());
        return tensor;
    }
}
