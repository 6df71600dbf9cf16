using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.IO;

/// <summary>
/// Load-time checks of every inline tensor: a sane shape (no negative dim, no overflowing element
/// count) and stored data that matches it, so later passes never index past the data.
/// </summary>
internal static class TensorValidation
{
    public static void Check(TensorProto tensor, string? filePath)
    {
        long count = TensorData.GetElementCount(tensor.Dims, tensor.Name, filePath);
        TensorData.GetByteCount(tensor.DataType, count, tensor.Name, filePath);
        if (TensorData.IsExternal(tensor))
        {
            return; // Checked against the data file by ExternalDataStore.
        }

        var type = (DataType)tensor.DataType;
        long expected;
        long actual;
        if (tensor.HasRawData)
        {
            expected = TensorData.GetByteCount(tensor.DataType, count, tensor.Name, filePath);
            actual = tensor.RawData.Length;
            if (expected < 0)
            {
                return; // Unsized or unknown type: nothing to compare against.
            }
        }
        else
        {
            actual = type switch
            {
                DataType.Float or DataType.Complex64 => tensor.FloatData.Count,
                DataType.Double or DataType.Complex128 => tensor.DoubleData.Count,
                DataType.Int64 => tensor.Int64Data.Count,
                DataType.Uint32 or DataType.Uint64 => tensor.Uint64Data.Count,
                DataType.String => tensor.StringData.Count,
                DataType.Undefined => -1,
                _ when ElementTypes.GetBitsPerElement(tensor.DataType) == 0 => -1,
                _ => tensor.Int32Data.Count,
            };
            if (actual < 0)
            {
                return;
            }

            expected = type switch
            {
                DataType.Complex64 or DataType.Complex128 => count > long.MaxValue / 2 ? -1 : count * 2,
                DataType.Int4 or DataType.Uint4 or DataType.Float4E2M1 => (count + 1) / 2,
                _ => count,
            };
        }

        if (actual != expected)
        {
            throw TensorErrors.DataMismatch(tensor, $"{actual} stored {(tensor.HasRawData ? "bytes" : "values")} where its type and shape need {expected}", null, filePath);
        }
    }
}
