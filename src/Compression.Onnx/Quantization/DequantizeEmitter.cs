using Compression.Onnx.Graph;
using Onnx;

namespace Compression.Onnx.Quantization;

/// <summary>
/// Builds the nodes that turn a <see cref="QuantizedWeight"/> back into the float value its readers expect:
/// <list type="bullet">
/// <item>opset 7 and later (default, <see cref="PreferFoldableForm"/>): <c>Cast</c> to float, <c>Sub</c> the zero point
/// when it is not 0, <c>Mul</c> by the scale broadcast along the axis. Pure default-domain ops, valid at every opset
/// from 7 (the opset never changes), checked fully by <c>onnx.checker</c>, folded by ONNX Runtime at load;</item>
/// <item>with <see cref="PreferFoldableForm"/> off: <c>DequantizeLinear</c> with <c>axis</c> at opset 13+, per tensor at
/// opset 10-12, the Cast form otherwise;</item>
/// <item>before opset 7: <c>com.microsoft</c> <c>DequantizeLinear</c> (ONNX Runtime has no kernels for opset 1-6 arithmetic).</item>
/// </list>
/// </summary>
internal static class DequantizeEmitter
{
    /// <summary>
    /// When true (default), weight-only weights use the <c>Cast</c> + <c>Mul</c> form at every opset from 7: ONNX Runtime
    /// constant-folds it at load, so inference runs at float speed. It does not fold <c>DequantizeLinear</c> (it keeps
    /// QDQ pairs for fusion), which then dequantizes every weight on every run: measured 2.6x (MLP) to 13x (transformer
    /// block) slower than float32 (docs/reports/passes.md). False writes <c>DequantizeLinear</c> where the opset allows.
    /// </summary>
    internal static bool PreferFoldableForm { get; set; } = true;

    public static (List<TensorProto> Tensors, List<NodeProto> Nodes) Emit(ModelGraphIndex index, QuantizedWeight weight, string outputName)
    {
        var tensors = new List<TensorProto>();
        var nodes = new List<NodeProto>();
        string stem = outputName;
        var data = weight.DataTensor(index.UniqueName(stem + "_quantized"));
        tensors.Add(data);
        int opset = index.Opset;
        bool perChannel = weight.Axis is not null;
        if (!(PreferFoldableForm && opset >= 7) && (opset >= 13 || (opset >= 10 && !perChannel)))
        {
            var scale = weight.ScaleTensor(index.UniqueName(stem + "_scale"));
            tensors.Add(scale);
            var inputs = new List<string> { data.Name, scale.Name };
            if (!weight.ZeroPointsAreZero || !weight.Signed)
            {
                var zp = weight.ZeroPointTensor(index.UniqueName(stem + "_zero_point"));
                tensors.Add(zp);
                inputs.Add(zp.Name);
            }

            var dq = OnnxBuilders.Node("DequantizeLinear", index.UniqueName(stem + "_DequantizeLinear"), inputs, [outputName]);
            if (perChannel) dq.With("axis", weight.Axis!.Value);
            nodes.Add(dq);
            return (tensors, nodes);
        }

        if (opset < 7)
        {
            // ONNX Runtime has no kernels for opset 1-6 Mul/Sub: use its contrib DequantizeLinear, which works at any opset.
            Opsets.EnsureImport(index.Model, Opsets.MicrosoftDomain, 1);
            var scale = weight.ScaleTensor(index.UniqueName(stem + "_scale"));
            var zp = weight.ZeroPointTensor(index.UniqueName(stem + "_zero_point"));
            tensors.Add(scale);
            tensors.Add(zp);
            var dq = OnnxBuilders.Node("DequantizeLinear", index.UniqueName(stem + "_DequantizeLinear"), [data.Name, scale.Name, zp.Name], [outputName], Opsets.MicrosoftDomain);
            if (perChannel) dq.With("axis", weight.Axis!.Value);
            nodes.Add(dq);
            return (tensors, nodes);
        }

        long[] broadcast = BroadcastShape(weight);
        string cast = index.UniqueName(stem + "_as_float");
        nodes.Add(OnnxBuilders.Node("Cast", index.UniqueName(stem + "_Cast"), [data.Name], [cast]).With("to", (long)TensorProto.Types.DataType.Float));
        string current = cast;
        if (!weight.ZeroPointsAreZero)
        {
            var zeroPoints = Array.ConvertAll(weight.ZeroPoints, z => (float)z);
            var zp = OnnxBuilders.Floats(index.UniqueName(stem + "_zero_point"), broadcast, zeroPoints);
            tensors.Add(zp);
            string centred = index.UniqueName(stem + "_centred");
            nodes.Add(OnnxBuilders.Node("Sub", index.UniqueName(stem + "_Sub"), [current, zp.Name], [centred]));
            current = centred;
        }

        var scales = OnnxBuilders.Floats(index.UniqueName(stem + "_scale"), broadcast, weight.Scales);
        tensors.Add(scales);
        nodes.Add(OnnxBuilders.Node("Mul", index.UniqueName(stem + "_Mul"), [current, scales.Name], [outputName]));
        return (tensors, nodes);
    }

    /// <summary>[C, 1, ..., 1] with one trailing 1 per axis after the channel axis: numpy broadcasting aligns the right.</summary>
    private static long[] BroadcastShape(QuantizedWeight weight)
    {
        if (weight.Axis is not int axis) return [];
        var shape = new long[weight.Dims.Length - axis];
        shape[0] = weight.Scales.Length;
        for (int i = 1; i < shape.Length; i++) shape[i] = 1;
        return shape;
    }
}
