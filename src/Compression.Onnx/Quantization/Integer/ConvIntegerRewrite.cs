using Compression.Onnx.Graph;
using Onnx;

namespace Compression.Onnx.Quantization.Integer;

/// <summary>
/// <c>Conv</c> with a constant weight (opset 11): <c>DynamicQuantizeLinear</c> + <c>ConvInteger</c> (same attributes) +
/// rescale, the per-channel scales and a constant bias broadcast as <c>[1, M, 1, ...]</c>. ConvInteger takes only a
/// scalar weight zero point, so an asymmetric per-channel weight stays for weight-only. Weights are stored as uint8
/// (+128): ONNX Runtime passes the conv weight as MLAS's left operand, where int8 selects the portable C++ s8 x u8 GEMM
/// (exact but slow) and uint8 the vectorised u8 x u8 kernels, which widen both operands and cannot overflow; so the
/// weights keep all 8 bits (docs/cpu-portability.md).
/// </summary>
internal sealed class ConvIntegerRewrite : IIntegerOpRewrite
{
    public string OpType => "Conv";

    public bool Accepts(NodeProto node, Weight weight, DynamicQuantization run) =>
        weight.Dims.Count >= 3 && run.Model.Opset >= 11
        && (node.Input.Count < 3 || node.Input[2].Length == 0 || run.Model.IsConstant(node.Input[2]))
        && (run.Symmetric || !run.Settings.PerChannel);

    public QuantizedWeight Quantize(float[] values, Weight weight, DynamicQuantization run) =>
        QuantizedWeight.Quantize(values, [.. weight.Dims], run.Settings.PerChannel ? 0 : null, run.Signed, run.Symmetric).AsUnsignedOffset();

    public void Rewrite(NodeProto node, GraphProto graph, Weight weight, DynamicQuantization run)
    {
        var model = run.Model;
        int rank = weight.Dims.Count;
        long channels = weight.Dims[0];
        var stored = run.Store(weight, scalarZeroPoint: true);
        string stem = node.Name.Length > 0 ? node.Name : node.Output[0];
        var nodes = new List<NodeProto>();
        var (xq, xs, xzp) = run.DynamicInput(graph, node.Input[0], stem, nodes);
        var inputs = new List<string> { xq, stored.Data, xzp };
        if (stored.ZeroPoint is not null) inputs.Add(stored.ZeroPoint);
        string integer = model.UniqueName(stem + "_int32");
        var convInteger = NodeBuilder.Node("ConvInteger", model.UniqueName(stem + "_ConvInteger"), inputs, [integer]);
        foreach (var a in node.Attribute) convInteger.Attribute.Add(a.Clone());
        nodes.Add(convInteger);

        // Per-channel scales and the bias broadcast over [N, M, spatial...] as [1, M, 1, ...].
        long[] channelShape = new long[rank];
        Array.Fill(channelShape, 1L);
        channelShape[1] = channels;
        string scale = stored.Scale;
        if (stored.Weight.Axis is not null)
        {
            scale = run.AddFloats(graph, weight.Name + "_scale_nchw", channelShape, stored.Weight.Scales, node);
        }

        bool hasBias = node.Input.Count > 2 && node.Input[2].Length > 0;
        string product = hasBias ? model.UniqueName(stem + "_product") : node.Output[0];
        run.Rescale(stem, integer, xs, scale, product, nodes);
        if (hasBias)
        {
            var bias = model.Constants[node.Input[2]];
            string broadcast = run.AddFloats(graph, bias.Name + "_nchw", channelShape, bias.ReadFloats(), node);
            if (bias.Readers.Count == 1)
            {
                // Consumed here: remove it, and claim it so the weight-only rewrite after this one does not store it again.
                ModelGraph.RemoveWeight(bias);
                run.Context.Claim(bias.Name);
            }

            nodes.Add(NodeBuilder.Node("Add", model.UniqueName(stem + "_AddBias"), [product, broadcast], [node.Output[0]]));
        }

        run.ReplaceNode(graph, node, nodes);
    }
}
