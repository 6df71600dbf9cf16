using Compression.Onnx.Graph;
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
internal sealed class GatherBlockRewrite(ModelGraph model, FourBitOptions options, Action<string> claim) : IFourBitRewrite
{
    public bool UsesContribOperators => true;

    public int MinimumOpset => 1;

    public int Weights { get; private set; }

    /// <summary>A [V, D] table with an even D, read only by axis-0 Gathers as their data.</summary>
    public bool Accepts(Weight weight) => weight.Dims.Count == 2 && weight.Dims[1] % 2 == 0 && weight.Consumers.All(IsEmbeddingLookup);

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
            TensorData.CreateFromRawBytes(model.UniqueName(weight.Name + "_q4"), (int)DataType.Uint8, [rows, rowBytes], data),
            TensorData.CreateFloat(model.UniqueName(weight.Name + "_scales"), [rows, quantized.Blocks], quantized.Scales),
        };
        if (quantized.ZeroPoints is not null)
        {
            tensors.Add(TensorData.CreateFromRawBytes(model.UniqueName(weight.Name + "_zero_points"), (int)DataType.Uint8, [rows, quantized.ZeroPointRowBytes], quantized.ZeroPoints));
        }

        foreach (ValueUse consumer in weight.Consumers)
        {
            NodeProto old = consumer.Node!;
            string[] inputs = tensors.Count > 2 ? [tensors[0].Name, old.Input[1], tensors[1].Name, tensors[2].Name] : [tensors[0].Name, old.Input[1], tensors[1].Name];
            var node = NodeBuilder.Node("GatherBlockQuantized", old.Name, inputs, [old.Output[0]], Opsets.MicrosoftDomain)
                .With("gather_axis", 0).With("quantize_axis", 1).With("block_size", options.BlockSize).With("bits", 4);
            consumer.Graph.Node[GraphEditing.IndexOf(consumer.Graph, old, model.FilePath)] = node;
        }

        weight.ReplaceWith(tensors, []);
        foreach (var tensor in tensors) claim(tensor.Name);
        Weights++;
        return data.Length + (quantized.Scales.Length * 4L) + (quantized.ZeroPoints?.Length ?? 0);
    }

    private static bool IsEmbeddingLookup(ValueUse consumer) =>
        consumer.Node is { } node && node.IsDefaultDomain() && node.OpType == "Gather" && consumer.InputIndex == 0 && node.GetInt("axis", 0) == 0;
}
