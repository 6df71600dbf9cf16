using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.FourBit;

/// <summary>
/// Rewrites axis-0 <c>Gather</c> nodes on an embedding table <c>[V, D]</c> into ONNX Runtime's <c>com.microsoft</c>
/// <c>GatherBlockQuantized</c> with uint8 data and <c>bits=4</c>: data <c>[V, D / 2]</c> (two values a byte, low
/// nibble first), blocks along D (<c>quantize_axis=1</c>), scales <c>[V, ceil(D / block)]</c>, packed uint4 zero
/// points <c>[V, ceil(blocks / 2)]</c> for the asymmetric form (default 8 when absent), exactly the
/// <c>MatMulNBits</c> layout of each row. The uint8 form runs in any IR version (int4 tensors need IR 10).
/// </summary>
internal sealed class GatherRewriter(OnnxModel model, FourBitOptions options, UniqueNames names)
{
    /// <summary>Quantizes the table and rewrites its Gather nodes; returns the bytes stored.</summary>
    public long Rewrite(Weight weight, float[] values, CancellationToken cancellationToken)
    {
        int rows = (int)weight.Dims[0];
        int width = (int)weight.Dims[1];
        var quantized = MatMulNBitsWeight.Quantize(values, width, rows, columnMajor: true, options.BlockSize, options.EffectiveSymmetric, options.SearchScales, cancellationToken);

        // Each row's blocks are contiguous, so the row's first D / 2 bytes are its values; drop the block padding.
        int rowBytes = width / 2;
        int paddedRowBytes = quantized.Blocks * (options.BlockSize / 2);
        var data = new byte[(long)rows * rowBytes];
        for (int r = 0; r < rows; r++)
        {
            quantized.Packed.AsSpan(r * paddedRowBytes, rowBytes).CopyTo(data.AsSpan(r * rowBytes));
        }

        var tensors = new List<TensorProto>
        {
            TensorData.CreateFromRawBytes(names.Next(weight.Name + "_q4"), (int)DataType.Uint8, [rows, rowBytes], data),
            TensorData.CreateFloat(names.Next(weight.Name + "_scales"), [rows, quantized.Blocks], quantized.Scales),
        };
        if (quantized.ZeroPoints is not null)
        {
            tensors.Add(TensorData.CreateFromRawBytes(names.Next(weight.Name + "_zero_points"), (int)DataType.Uint8, [rows, quantized.ZeroPointRowBytes], quantized.ZeroPoints));
        }

        foreach (WeightConsumer consumer in weight.Consumers)
        {
            NodeProto old = consumer.Node!;
            var node = new NodeProto { OpType = "GatherBlockQuantized", Domain = Opsets.MicrosoftDomain, Name = old.Name };
            node.Input.Add(tensors[0].Name);
            node.Input.Add(old.Input[1]);
            node.Input.Add(tensors[1].Name);
            if (tensors.Count > 2)
            {
                node.Input.Add(tensors[2].Name);
            }

            node.Output.Add(old.Output[0]);
            NodeAttributes.AddInt(node, "gather_axis", 0);
            NodeAttributes.AddInt(node, "quantize_axis", 1);
            NodeAttributes.AddInt(node, "block_size", options.BlockSize);
            NodeAttributes.AddInt(node, "bits", 4);
            consumer.Graph.Node[NodePosition.IndexOf(consumer.Graph, old, model.FilePath)] = node;
        }

        weight.ReplaceWith(tensors, []);
        return data.Length + (quantized.Scales.Length * 4L) + (quantized.ZeroPoints?.Length ?? 0);
    }
}
