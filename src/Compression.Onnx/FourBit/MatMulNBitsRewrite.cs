using Compression.Onnx.Graph;
using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.FourBit;

/// <summary>
/// Rewrites the MatMul / Gemm nodes that read a constant B into ONNX Runtime's <c>com.microsoft</c>
/// <c>MatMulNBits</c> (bits 4): attributes K, N, bits, block_size, accuracy_level; inputs A, B (packed uint8),
/// scales (float32, A's type), zero points (packed uint4, asymmetric only), no g_idx, and for Gemm its bias.
/// Gemm's <c>alpha</c> is folded into that node's scales; <c>beta * C</c> becomes the <c>bias</c> input when C
/// is a constant <c>[N]</c> vector, otherwise an <c>Add</c> (after a <c>Mul</c> by beta) behind the node.
/// </summary>
internal sealed class MatMulNBitsRewrite(ModelGraph model, FourBitOptions options, Action<string> claim) : IFourBitRewrite
{
    public bool UsesContribOperators => true;

    public int MinimumOpset => 1;

    public int Weights { get; private set; }

    public int MatMulNodes { get; private set; }

    public int GemmNodes { get; private set; }

    /// <summary>B of MatMul / Gemm (transA 0) nodes that all agree on transB.</summary>
    public bool Accepts(Weight weight) =>
        weight.Dims.Count == 2 && weight.Consumers.All(IsMatMulB) && weight.Consumers.Select(TransposedB).Distinct().Count() == 1;

    /// <summary>Quantizes <paramref name="weight"/> once and rewrites every node that reads it; returns the bytes stored.</summary>
    public long Rewrite(Weight weight, float[] values, CancellationToken cancellationToken)
    {
        bool columnMajor = TransposedB(weight.Consumers[0]);
        int k = (int)(columnMajor ? weight.Dims[1] : weight.Dims[0]);
        int n = (int)(columnMajor ? weight.Dims[0] : weight.Dims[1]);
        var quantized = MatMulNBitsWeight.Quantize(values, k, n, columnMajor, options.BlockSize, options.EffectiveSymmetric, options.SearchScales, cancellationToken);

        var tensors = new List<TensorProto>
        {
            TensorData.CreateFromRawBytes(model.UniqueName(weight.Name + "_q4"), (int)DataType.Uint8, [n, quantized.Blocks, options.BlockSize / 2], quantized.Packed),
            TensorData.CreateFloat(model.UniqueName(weight.Name + "_scales"), [n, quantized.Blocks], quantized.Scales),
        };
        if (quantized.ZeroPoints is not null)
        {
            tensors.Add(TensorData.CreateFromRawBytes(model.UniqueName(weight.Name + "_zero_points"), (int)DataType.Uint8, [n, quantized.ZeroPointRowBytes], quantized.ZeroPoints));
        }

        long bytes = quantized.Packed.Length + (quantized.Scales.Length * 4L) + (quantized.ZeroPoints?.Length ?? 0);
        foreach (ValueUse consumer in weight.Consumers)
        {
            bytes += ReplaceNode(consumer, quantized, tensors);
        }

        weight.ReplaceWith(tensors, []);
        foreach (var tensor in tensors) claim(tensor.Name);
        Weights++;
        return bytes;
    }

    /// <summary>Whether the consumer is a Gemm with <c>transB=1</c> (B stored <c>[N, K]</c>).</summary>
    private static bool TransposedB(ValueUse consumer) =>
        consumer.OpType == "Gemm" && consumer.Node!.GetInt("transB", 0) != 0;

    private static bool IsMatMulB(ValueUse consumer) =>
        consumer.Node is { } node && node.IsDefaultDomain() && consumer.InputIndex == 1
        && (node.OpType == "MatMul" || (node.OpType == "Gemm" && node.GetInt("transA", 0) == 0));

    private long ReplaceNode(ValueUse consumer, MatMulNBitsWeight quantized, List<TensorProto> tensors)
    {
        NodeProto old = consumer.Node!;
        GraphProto graph = consumer.Graph;
        bool gemm = old.OpType == "Gemm";
        var node = NodeBuilder.Node("MatMulNBits", old.Name, [old.Input[0], tensors[0].Name], [], Opsets.MicrosoftDomain)
            .With("K", quantized.K).With("N", quantized.N).With("bits", 4).With("block_size", quantized.BlockSize).With("accuracy_level", options.AccuracyLevel);
        long extraBytes = 0;
        string scales = tensors[1].Name;
        float alpha = gemm ? old.GetFloat("alpha", 1f) : 1f;
        if (alpha != 1f)
        {
            // alpha * (A B) = A ((q - zp) * (scale * alpha)): a scaled copy of the scales for this node only.
            var scaled = quantized.Scales.Select(s => s * alpha).ToArray();
            var tensor = TensorData.CreateFloat(model.UniqueName(tensors[1].Name + "_alpha"), [quantized.N, quantized.Blocks], scaled);
            graph.Initializer.Add(tensor);
            scales = tensor.Name;
            extraBytes += scaled.Length * 4L;
        }

        node.Input.Add(scales);
        node.Input.Add(tensors.Count > 2 ? tensors[2].Name : string.Empty);
        var after = new List<NodeProto>();
        string output = old.Output[0];
        if (gemm && old.Input.Count > 2 && old.Input[2].Length > 0)
        {
            float beta = old.GetFloat("beta", 1f);
            string? bias = ConstantBias(old.Input[2], quantized.N, beta, graph, ref extraBytes);
            if (bias is not null)
            {
                node.Input.Add(string.Empty); // g_idx (deprecated), then bias
                node.Input.Add(bias);
            }
            else
            {
                string product = model.UniqueName(output + "_matmul");
                string addend = old.Input[2];
                if (beta != 1f)
                {
                    var betaTensor = TensorData.CreateFloat(model.UniqueName(old.Name + "_beta"), [], [beta]);
                    graph.Initializer.Add(betaTensor);
                    addend = model.UniqueName(output + "_beta_c");
                    after.Add(NodeBuilder.Node("Mul", model.UniqueName(old.Name + "_beta_mul"), [old.Input[2], betaTensor.Name], [addend]));
                }

                after.Add(NodeBuilder.Node("Add", model.UniqueName(old.Name + "_bias_add"), [product, addend], [output]));
                output = product;
            }
        }

        // Optional inputs are positional: empty names hold the places of absent ones, none may trail.
        while (node.Input[^1].Length == 0)
        {
            node.Input.RemoveAt(node.Input.Count - 1);
        }

        node.Output.Add(output);
        int index = GraphEditing.IndexOf(graph, old, model.FilePath);
        graph.Node[index] = node;
        for (int i = 0; i < after.Count; i++)
        {
            graph.Node.Insert(index + 1 + i, after[i]);
        }

        if (gemm)
        {
            GemmNodes++;
        }
        else
        {
            MatMulNodes++;
        }

        return extraBytes;
    }

    /// <summary>
    /// The name of a constant <c>[N]</c> float bias holding <c>beta * C</c> (C itself when beta is 1), or
    /// <see langword="null"/> when C is computed or has another shape.
    /// </summary>
    private string? ConstantBias(string name, int n, float beta, GraphProto graph, ref long extraBytes)
    {
        Weight? c = model.Weights.FindAll(name).FirstOrDefault(w => ReferenceEquals(w.Graph, graph)) ?? model.Weights.Find(name);
        if (c is null || c.ElementType != (int)DataType.Float || c.Dims.Count != 1 || c.Dims[0] != n)
        {
            return null;
        }

        if (beta == 1f)
        {
            return name;
        }

        var scaled = c.ReadFloats().Select(v => v * beta).ToArray();
        var tensor = TensorData.CreateFloat(model.UniqueName(name + "_beta"), [n], scaled);
        graph.Initializer.Add(tensor);
        extraBytes += n * 4L;
        return tensor.Name;
    }
}
