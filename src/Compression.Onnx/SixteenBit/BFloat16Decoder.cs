using System.Runtime.InteropServices;
using Compression.Onnx.Graph;
using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.SixteenBit;

/// <summary>
/// bfloat16 weights for models older than opset 13, where <c>Cast</c> cannot read bfloat16 and raising the opset
/// would invalidate other ops (Slice, Squeeze... changed). The bits of every weight of a graph are packed into one
/// uint16 tensor and decoded once with opset-7-era arithmetic, exactly:
/// <c>k = float(bits)</c>, <c>s = k &gt; 32767.5</c>, <c>e = floor((k − 32768·s) / 128)</c>,
/// <c>m = k − 32768·s − 128·e</c>, <c>value = (1 − 2s) · 2^(e − 127) · (1 + m/128) · (e &gt; 0)</c>;
/// each weight is then a <c>Slice</c> + <c>Reshape</c> of the decoded vector under its own name. All inputs are
/// constant, so ONNX Runtime folds the chain at load: the file holds 16 bits a weight, the session runs in float.
/// bfloat16 subnormals (|w| &lt; 1.2e-38) decode to 0.
/// </summary>
internal static class BFloat16Decoder
{
    /// <summary>Replaces <paramref name="weights"/> (all in one graph) by slices of one packed, decoded tensor.</summary>
    public static void Replace(ModelGraph model, GraphProto graph, IReadOnlyList<(Weight Weight, float[] Values)> weights)
    {
        long total = 0;
        foreach (var (_, values) in weights) total += values.Length;
        var bits = new byte[total * 2];
        long offset = 0;
        foreach (var (_, values) in weights)
        {
            HalfPrecision.Encode(values, QuantizationType.BFloat16).CopyTo(bits, offset * 2);
            offset += values.Length;
        }

        // bfloat16 subnormals have no exact decode in this arithmetic; flush them to signed zero.
        var words = MemoryMarshal.Cast<byte, ushort>(bits.AsSpan());
        for (int i = 0; i < words.Length; i++)
        {
            if ((words[i] & 0x7F80) == 0) words[i] &= 0x8000;
        }

        var nodes = new List<NodeProto>();
        string N(string stem) => model.UniqueName("bf16_" + stem);
        var packed = TensorData.CreateFromRawBytes(N("packed"), (int)DataType.Uint16, [total], bits);
        var constants = new List<TensorProto> { packed };
        string Scalar(string stem, float value)
        {
            var t = TensorData.CreateFloat(N(stem), [], [value]);
            constants.Add(t);
            return t.Name;
        }

        string Op(string op, params string[] inputs)
        {
            string output = N(op.ToLowerInvariant());
            nodes.Add(NodeBuilder.Node(op, N(op), inputs, [output]));
            return output;
        }

        string ToFloat(string input)
        {
            string output = N("float");
            nodes.Add(NodeBuilder.Node("Cast", N("Cast"), [input], [output]).With("to", (long)DataType.Float));
            return output;
        }

        string k = ToFloat(packed.Name);
        string sign = ToFloat(Op("Greater", k, Scalar("half_range", 32767.5f)));
        string magnitudeBits = Op("Sub", k, Op("Mul", sign, Scalar("sign_bit", 32768f)));
        string exponent = Op("Floor", Op("Div", magnitudeBits, Scalar("mantissa_range", 128f)));
        string mantissa = Op("Sub", magnitudeBits, Op("Mul", exponent, Scalar("mantissa_range", 128f)));
        string twos = Op("Add", Op("Mul", exponent, Scalar("zero", 0f)), Scalar("two", 2f));
        string power = Op("Pow", twos, Op("Sub", exponent, Scalar("bias", 127f)));
        string significand = Op("Add", Op("Div", mantissa, Scalar("mantissa_range", 128f)), Scalar("one", 1f));
        string nonZero = ToFloat(Op("Greater", exponent, Scalar("half", 0.5f)));
        string signFactor = Op("Add", Op("Mul", sign, Scalar("minus_two", -2f)), Scalar("one", 1f));
        string decoded = Op("Mul", Op("Mul", Op("Mul", power, significand), nonZero), signFactor);

        foreach (var t in constants) model.AddTensor(graph, t, null);
        int at = CountLeadingConstants(graph);
        for (int i = 0; i < nodes.Count; i++) graph.Node.Insert(at + i, nodes[i]);

        offset = 0;
        foreach (var (weight, values) in weights)
        {
            string slice = model.UniqueName(weight.Name + "_bf16");
            var shape = TensorData.CreateInt64(model.UniqueName(weight.Name + "_shape"), [weight.Dims.Count], [.. weight.Dims]);
            var stored = new List<TensorProto> { shape };
            NodeProto sliceNode;
            if (model.Opset >= 10)
            {
                // Opset 10 moved Slice's starts/ends/axes from attributes to inputs.
                var starts = TensorData.CreateInt64(model.UniqueName(weight.Name + "_start"), [1], [offset]);
                var ends = TensorData.CreateInt64(model.UniqueName(weight.Name + "_end"), [1], [offset + values.Length]);
                var axes = TensorData.CreateInt64(model.UniqueName(weight.Name + "_axis"), [1], [0]);
                stored.AddRange([starts, ends, axes]);
                sliceNode = NodeBuilder.Node("Slice", model.UniqueName(weight.Name + "_Slice"), [decoded, starts.Name, ends.Name, axes.Name], [slice]);
            }
            else
            {
                sliceNode = NodeBuilder.Node("Slice", model.UniqueName(weight.Name + "_Slice"), [decoded], [slice]);
                sliceNode.Attribute.Add(NodeBuilder.IntsAttribute("axes", [0]));
                sliceNode.Attribute.Add(NodeBuilder.IntsAttribute("starts", [offset]));
                sliceNode.Attribute.Add(NodeBuilder.IntsAttribute("ends", [offset + values.Length]));
            }

            var reshape = NodeBuilder.Node("Reshape", model.UniqueName(weight.Name + "_Reshape"), [slice, shape.Name], [weight.Name]);
            model.ReplaceWeight(weight, stored, [sliceNode, reshape]);
            offset += values.Length;
        }
    }

    private static int CountLeadingConstants(GraphProto graph)
    {
        int i = 0;
        while (i < graph.Node.Count && graph.Node[i].OpType == "Constant") i++;
        return i;
    }
}
