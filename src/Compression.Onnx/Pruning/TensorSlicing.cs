using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>Keeps a subset of the indices along one axis of a tensor, any element type of 8 bits or more, bytes copied as they are.</summary>
internal static class TensorSlicing
{
    public static TensorProto Keep(TensorProto tensor, int axis, IReadOnlyList<int> kept, OnnxModel model)
    {
        long[] dims = [.. tensor.Dims];
        int bits = ElementTypes.GetBitsPerElement(tensor.DataType);
        if (bits < 8 || axis < 0 || axis >= dims.Length)
        {
            throw TensorErrors.Unsupported(tensor, "sliced by channel pruning", model);
        }

        int size = bits / 8;
        long outer = 1;
        for (int i = 0; i < axis; i++)
        {
            outer *= dims[i];
        }

        long inner = size;
        for (int i = axis + 1; i < dims.Length; i++)
        {
            inner *= dims[i];
        }

        ReadOnlySpan<byte> source = TensorData.GetRawBytes(tensor, model).Span;
        long length = dims[axis];
        var result = new byte[outer * kept.Count * inner];
        for (long o = 0; o < outer; o++)
        {
            for (int k = 0; k < kept.Count; k++)
            {
                source.Slice((int)(((o * length) + kept[k]) * inner), (int)inner)
                    .CopyTo(result.AsSpan((int)(((o * kept.Count) + k) * inner)));
            }
        }

        dims[axis] = kept.Count;
        return TensorData.CreateFromRawBytes(tensor.Name, tensor.DataType, dims, result);
    }
}
