using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Calibration;

/// <summary>Reads one <c>input_k.pb</c> of the ONNX test-data layout (a serialized <c>TensorProto</c>) into an <see cref="InputTensor"/>.</summary>
internal static class TensorProtoSample
{
    /// <summary>The tensor in <paramref name="path"/>, with its own name (may be empty).</summary>
    public static TensorProto Load(string path, string setting)
    {
        try
        {
            return TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Corrupt(path, setting, "it is not a serialized TensorProto: " + e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Corrupt(path, setting, "it cannot be read: " + e.Message);
        }
    }

    public static InputTensor ToInput(string name, TensorProto t, string path, string setting)
    {
        long[] shape = [.. t.Dims];
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0) throw Corrupt(path, setting, "it has a negative dimension");
            count *= d;
        }

        var type = (DataType)t.DataType;
        Array data = type switch
        {
            DataType.Float => Raw<float>(t) ?? [.. t.FloatData],
            DataType.Double => Raw<double>(t) ?? [.. t.DoubleData],
            DataType.Int64 => Raw<long>(t) ?? [.. t.Int64Data],
            DataType.Uint64 => Raw<ulong>(t) ?? [.. t.Uint64Data],
            DataType.Int32 => Raw<int>(t) ?? [.. t.Int32Data],
            DataType.Uint32 => Raw<uint>(t) ?? t.Uint64Data.Select(v => (uint)v).ToArray(),
            DataType.Int8 => Raw<sbyte>(t) ?? t.Int32Data.Select(v => (sbyte)v).ToArray(),
            DataType.Uint8 => Raw<byte>(t) ?? t.Int32Data.Select(v => (byte)v).ToArray(),
            DataType.Int16 => Raw<short>(t) ?? t.Int32Data.Select(v => (short)v).ToArray(),
            DataType.Uint16 => Raw<ushort>(t) ?? t.Int32Data.Select(v => (ushort)v).ToArray(),
            DataType.Bool => Raw<byte>(t)?.Select(b => b != 0).ToArray() ?? t.Int32Data.Select(v => v != 0).ToArray(),
            DataType.Float16 => Raw<Float16>(t) ?? t.Int32Data.Select(v => new Float16((ushort)v)).ToArray(),
            _ => throw new CompressionException(DiagnosticCodes.SampleTypeMismatch, $"{setting}: input '{name}' has element type {type}, which calibration and validation do not read.", path,
                "Store float, double, float16, (u)int8/16/32/64 or bool tensors."),
        };
        if (data.Length != count)
        {
            throw Corrupt(path, setting, string.Create(CultureInfo.InvariantCulture, $"it holds {data.Length} values for a shape of {count} elements"));
        }

        return new InputTensor(name, ElementType(type), shape, data);
    }

    private static T[]? Raw<T>(TensorProto t)
        where T : unmanaged
    {
        if (t.RawData.IsEmpty) return null;
        int size = Marshal.SizeOf<T>();
        return t.RawData.Length % size != 0 ? [] : MemoryMarshal.Cast<byte, T>(t.RawData.Span).ToArray();
    }

    private static TensorElementType ElementType(DataType type) => type switch
    {
        DataType.Float => TensorElementType.Float,
        DataType.Double => TensorElementType.Double,
        DataType.Int64 => TensorElementType.Int64,
        DataType.Uint64 => TensorElementType.UInt64,
        DataType.Int32 => TensorElementType.Int32,
        DataType.Uint32 => TensorElementType.UInt32,
        DataType.Int8 => TensorElementType.Int8,
        DataType.Uint8 => TensorElementType.UInt8,
        DataType.Int16 => TensorElementType.Int16,
        DataType.Uint16 => TensorElementType.UInt16,
        DataType.Bool => TensorElementType.Bool,
        _ => TensorElementType.Float16,
    };

    private static CompressionException Corrupt(string path, string setting, string reason) => new(
        DiagnosticCodes.SampleFileCorrupt,
        $"{setting}: the file cannot be used: {reason}.",
        path,
        "Write one input_<k>.pb (a serialized ONNX TensorProto, named after the input or in input order) per model input in each test_data_set_<n> folder.");
}
