using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Validation;

/// <summary>
/// Reads inputs in the ONNX test-data layout: <c>test_data_set_*/input_*.pb</c>, each a serialized <c>TensorProto</c>.
/// A tensor's name picks the model input; an unnamed tensor <c>input_k.pb</c> is the k-th model input.
/// </summary>
internal static class TestDataReader
{
    public static List<List<InputTensor>> Read(string folder, IReadOnlyList<string> inputNames)
    {
        if (!Directory.Exists(folder))
        {
            throw Invalid(folder, "the folder does not exist");
        }

        var sets = Directory.GetDirectories(folder, "test_data_set_*").Order(StringComparer.Ordinal).ToList();
        if (sets.Count == 0)
        {
            throw Invalid(folder, "it has no test_data_set_* folder");
        }

        var result = new List<List<InputTensor>>();
        foreach (string set in sets)
        {
            var files = Directory.GetFiles(set, "input_*.pb").OrderBy(f => IndexOf(f)).ToList();
            var inputs = new List<InputTensor>();
            for (int k = 0; k < files.Count; k++)
            {
                TensorProto tensor;
                try
                {
                    tensor = TensorProto.Parser.ParseFrom(File.ReadAllBytes(files[k]));
                }
                catch (InvalidProtocolBufferException e)
                {
                    throw Invalid(files[k], "it is not a serialized TensorProto: " + e.Message);
                }

                string name = tensor.Name.Length > 0 && inputNames.Contains(tensor.Name) ? tensor.Name
                    : k < inputNames.Count ? inputNames[k]
                    : throw Invalid(files[k], string.Create(CultureInfo.InvariantCulture, $"the model has only {inputNames.Count} inputs"));
                inputs.Add(ToInput(name, tensor, files[k]));
            }

            if (inputs.Count == 0)
            {
                throw Invalid(set, "it has no input_*.pb file");
            }

            result.Add(inputs);
        }

        return result;
    }

    private static int IndexOf(string file)
    {
        string stem = Path.GetFileNameWithoutExtension(file);
        return int.TryParse(stem.AsSpan("input_".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue;
    }

    private static InputTensor ToInput(string name, TensorProto t, string file)
    {
        long[] shape = [.. t.Dims];
        long count = 1;
        foreach (long d in shape) count *= d;
        var type = (DataType)t.DataType;
        Array data = type switch
        {
            DataType.Float => Values(t, t.FloatData, count),
            DataType.Double => Values(t, t.DoubleData, count),
            DataType.Int64 => Values(t, t.Int64Data, count),
            DataType.Uint64 => Values(t, t.Uint64Data, count),
            DataType.Int32 => Values(t, t.Int32Data, count),
            DataType.Uint32 => Raw<uint>(t) ?? t.Uint64Data.Select(v => (uint)v).ToArray(),
            DataType.Int8 => Raw<sbyte>(t) ?? t.Int32Data.Select(v => (sbyte)v).ToArray(),
            DataType.Uint8 => Raw<byte>(t) ?? t.Int32Data.Select(v => (byte)v).ToArray(),
            DataType.Int16 => Raw<short>(t) ?? t.Int32Data.Select(v => (short)v).ToArray(),
            DataType.Uint16 => Raw<ushort>(t) ?? t.Int32Data.Select(v => (ushort)v).ToArray(),
            DataType.Bool => Raw<bool>(t) ?? t.Int32Data.Select(v => v != 0).ToArray(),
            DataType.Float16 => Raw<Float16>(t) ?? t.Int32Data.Select(v => new Float16((ushort)v)).ToArray(),
            _ => throw Invalid(file, $"element type {type} is not supported for validation inputs"),
        };
        if (data.Length != count)
        {
            throw Invalid(file, string.Create(CultureInfo.InvariantCulture, $"it holds {data.Length} values for a shape of {count} elements"));
        }

        return new InputTensor(name, ElementType(type), shape, data);
    }

    private static T[] Values<T>(TensorProto t, Google.Protobuf.Collections.RepeatedField<T> typed, long count)
        where T : unmanaged => Raw<T>(t) ?? [.. typed];

    private static T[]? Raw<T>(TensorProto t)
        where T : unmanaged => t.RawData.IsEmpty ? null : MemoryMarshal.Cast<byte, T>(t.RawData.Span).ToArray();

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

    private static CompressionException Invalid(string path, string reason) => new(
        DiagnosticCodes.InvalidValidationData,
        $"The validation data cannot be used: {reason}.",
        path,
        "ValidationData must be a folder of test_data_set_*/input_*.pb files (serialized ONNX TensorProto), one file per model input, as in the ONNX backend test data.");
}
