using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.Graph;

/// <summary>Turns a COO <see cref="SparseTensorProto"/> into the dense tensor it stands for.</summary>
internal static class SparseTensors
{
    public static TensorProto Densify(SparseTensorProto sparse, string name, OnnxModel model)
    {
        TensorProto values = sparse.Values ?? throw Mismatch(name, "it has no values", model);
        long count = TensorData.GetElementCount(sparse.Dims, name, model.FilePath);
        int bits = ElementTypes.GetBitsPerElement(values.DataType);
        if (bits < 8)
        {
            throw TensorErrors.Unsupported(values, "densified", model);
        }

        int elementBytes = bits / 8;
        long byteCount = TensorData.GetByteCount(values.DataType, count, name, model.FilePath);
        if (byteCount > Array.MaxLength)
        {
            throw TensorErrors.TooLargeForArray(values, model);
        }

        ReadOnlySpan<byte> source = TensorData.GetRawBytes(values, model).Span;
        long nonZero = TensorData.GetElementCount(values, model);
        long[] indices = sparse.Indices is null ? [] : TensorData.ReadInt64s(sparse.Indices, model);
        int rank = sparse.Dims.Count;
        bool linear = indices.Length == nonZero;
        if (!linear && indices.Length != nonZero * rank)
        {
            throw Mismatch(name, $"{indices.Length} indices for {nonZero} values of rank {rank}", model);
        }

        var dense = new byte[byteCount];
        for (long i = 0; i < nonZero; i++)
        {
            long position = linear ? indices[i] : LinearIndex(indices.AsSpan((int)(i * rank), rank), sparse.Dims, name, model);
            if (position < 0 || position >= count)
            {
                throw Mismatch(name, $"index {position} is outside {count} elements", model);
            }

            source.Slice((int)(i * elementBytes), elementBytes).CopyTo(dense.AsSpan((int)(position * elementBytes)));
        }

        return TensorData.CreateFromRawBytes(name, values.DataType, [.. sparse.Dims], dense);
    }

    private static long LinearIndex(ReadOnlySpan<long> coordinates, Google.Protobuf.Collections.RepeatedField<long> dims, string name, OnnxModel model)
    {
        long position = 0;
        for (int axis = 0; axis < coordinates.Length; axis++)
        {
            if (coordinates[axis] < 0 || coordinates[axis] >= dims[axis])
            {
                throw Mismatch(name, $"coordinate {coordinates[axis]} is outside dimension {axis} ({dims[axis]})", model);
            }

            position = (position * dims[axis]) + coordinates[axis];
        }

        return position;
    }

    private static CompressionException Mismatch(string name, string reason, OnnxModel model) => new(
        DiagnosticCodes.TensorDataMismatch,
        $"Sparse tensor '{name}' is invalid: {reason}.",
        model.FilePath,
        "The model is damaged or was written by a faulty tool: re-export it.");
}
