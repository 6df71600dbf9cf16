using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>
/// Stores a pruned weight as a COO <see cref="SparseTensorProto"/> (values plus 1-D linearized int64 indices,
/// the form ONNX Runtime loads) when that is smaller than the dense tensor: an initializer becomes a
/// <c>sparse_initializer</c> of the same graph, a <c>Constant</c> node gets a <c>sparse_value</c>.
/// With 8-byte indices this pays off above about two thirds zeros for float32.
/// </summary>
internal static class SparseStorage
{
    /// <summary>Sparse tensors need IR version 6 or later (ONNX 1.7).</summary>
    public const long MinimumIrVersion = 6;

    /// <summary><c>Constant</c> takes <c>sparse_value</c> from opset 11.</summary>
    public const int MinimumConstantOpset = 11;

    /// <summary>Protobuf framing of the extra messages; a sparse form must beat dense by more than this.</summary>
    private const int FramingBytes = 32;

    /// <summary>Whether a tensor with <paramref name="nonZero"/> of <paramref name="count"/> elements non-zero can be smaller as COO.</summary>
    public static bool MayBeSmaller(int dataType, long count, long nonZero)
    {
        int bits = ElementTypes.GetBitsPerElement(dataType);
        return bits >= 8 && (nonZero * ((bits / 8) + sizeof(long))) + FramingBytes < count * (bits / 8);
    }

    public static bool TryStoreSparse(OnnxModel model, Weight weight)
    {
        if (model.Proto.IrVersion < MinimumIrVersion || weight.Storage == WeightStorage.SparseInitializer || weight.Tensor is null)
        {
            return false;
        }

        // Constant's sparse_value attribute exists from opset 11 on; onnx.checker rejects it in older models.
        if (weight.ConstantNode is not null && Opsets.DefaultDomainVersion(model.Proto) < MinimumConstantOpset)
        {
            return false;
        }

        TensorProto dense = weight.Tensor;
        int bits = ElementTypes.GetBitsPerElement(dense.DataType);
        if (bits < 8 || TensorData.IsExternal(dense))
        {
            return false;
        }

        int size = bits / 8;
        ReadOnlySpan<byte> bytes = TensorData.GetRawBytes(dense, model).Span;
        long count = bytes.Length / size;
        long nonZero = 0;
        for (long i = 0; i < count; i++)
        {
            if (bytes.Slice((int)(i * size), size).ContainsAnyExcept((byte)0))
            {
                nonZero++;
            }
        }

        if ((nonZero * (size + sizeof(long))) + FramingBytes >= bytes.Length)
        {
            return false;
        }

        var values = new byte[nonZero * size];
        var indices = new long[nonZero];
        long written = 0;
        for (long i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> element = bytes.Slice((int)(i * size), size);
            if (element.ContainsAnyExcept((byte)0))
            {
                element.CopyTo(values.AsSpan((int)(written * size)));
                indices[written++] = i;
            }
        }

        var sparse = new SparseTensorProto
        {
            Values = TensorData.CreateFromRawBytes(weight.Name, dense.DataType, [nonZero], values),
            Indices = TensorData.CreateInt64(weight.Name + "_indices", [nonZero], indices),
        };
        sparse.Dims.AddRange(dense.Dims);
        if (weight.Storage == WeightStorage.Initializer)
        {
            int index = IndexOf(weight.Graph.Initializer, dense);
            weight.Graph.Initializer.RemoveAt(index);
            weight.Graph.SparseInitializer.Add(sparse);
        }
        else
        {
            NodeProto node = weight.ConstantNode!;
            node.Attribute.Clear();
            node.Attribute.Add(NodeBuilder.SparseTensorAttribute("sparse_value", sparse));
        }

        return true;
    }

    private static int IndexOf(Google.Protobuf.Collections.RepeatedField<TensorProto> list, TensorProto tensor)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(list[i], tensor))
            {
                return i;
            }
        }

        throw new CompressionException(DiagnosticCodes.GraphElementNotFound, $"Weight '{tensor.Name}' is no longer an initializer of its graph.", null, "This is a bug in the pass that edits the graph: report it with the model.");
    }
}
