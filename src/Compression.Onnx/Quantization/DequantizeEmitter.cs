using Compression.Onnx.Graph;
using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.Quantization;

/// <summary>
/// Builds the nodes that turn a <see cref="QuantizedWeight"/> back into the float value its readers expect:
/// <list type="bullet">
/// <item>opset 7 and later (default, <see cref="WeightOnlyForm.Foldable"/>): <c>Cast</c> to float, <c>Sub</c> the zero point
/// when it is not 0, <c>Mul</c> by the scale broadcast along the axis. Pure default-domain ops, valid at every opset
/// from 7 (the opset never changes), checked fully by <c>onnx.checker</c>, folded by ONNX Runtime at load;</item>
/// <item>with <see cref="WeightOnlyForm.DequantizeLinear"/>: <c>DequantizeLinear</c> with <c>axis</c> at opset 13+, per tensor at
/// opset 10-12, the Cast form otherwise;</item>
/// <item>before opset 7: <c>com.microsoft</c> <c>DequantizeLinear</c> (ONNX Runtime has no kernels for opset 1-6 arithmetic).</item>
/// </list>
/// </summary>
internal static class DequantizeEmitter
{
    /// <summary>The stored tensors and the nodes that compute <paramref name="outputName"/> from them, in <paramref name="form"/> where the opset allows.</summary>
    public static (List<TensorProto> Tensors, List<NodeProto> Nodes) Emit(ModelGraph model, QuantizedWeight weight, string outputName, WeightOnlyForm form)
    {
        var tensors = new List<TensorProto>();
        var nodes = new List<NodeProto>();
        string stem = outputName;
        var data = weight.DataTensor(model.UniqueName(stem + "_quantized"));
        tensors.Add(data);
        int opset = model.Opset;
        bool perChannel = weight.Axis is not null;
        if (!(form == WeightOnlyForm.Foldable && opset >= 7) && (opset >= 13 || (opset >= 10 && !perChannel)))
        {
            var scale = weight.ScaleTensor(model.UniqueName(stem + "_scale"));
            tensors.Add(scale);
            var inputs = new List<string> { data.Name, scale.Name };
            if (!weight.ZeroPointsAreZero || !weight.Signed)
            {
                var zp = weight.ZeroPointTensor(model.UniqueName(stem + "_zero_point"));
                tensors.Add(zp);
                inputs.Add(zp.Name);
            }

            var dq = NodeBuilder.Node("DequantizeLinear", model.UniqueName(stem + "_DequantizeLinear"), inputs, [outputName]);
            if (perChannel) dq.With("axis", weight.Axis!.Value);
            nodes.Add(dq);
            return (tensors, nodes);
        }

        if (opset < 7)
        {
            // ONNX Runtime has no kernels for opset 1-6 Mul/Sub: use its contrib DequantizeLinear, which works at any opset.
            Opsets.EnsureImport(model.Proto, Opsets.MicrosoftDomain, 1);
            var scale = weight.ScaleTensor(model.UniqueName(stem + "_scale"));
            var zp = weight.ZeroPointTensor(model.UniqueName(stem + "_zero_point"));
            tensors.Add(scale);
            tensors.Add(zp);
            var dq = NodeBuilder.Node("DequantizeLinear", model.UniqueName(stem + "_DequantizeLinear"), [data.Name, scale.Name, zp.Name], [outputName], Opsets.MicrosoftDomain);
            if (perChannel) dq.With("axis", weight.Axis!.Value);
            nodes.Add(dq);
            return (tensors, nodes);
        }

        long[] broadcast = BroadcastShape(weight);
        string cast = model.UniqueName(stem + "_as_float");
        nodes.Add(NodeBuilder.Node("Cast", model.UniqueName(stem + "_Cast"), [data.Name], [cast]).With("to", (long)TensorProto.Types.DataType.Float));
        string current = cast;
        if (!weight.ZeroPointsAreZero)
        {
            var zeroPoints = Array.ConvertAll(weight.ZeroPoints, z => (float)z);
            var zp = TensorData.CreateFloat(model.UniqueName(stem + "_zero_point"), broadcast, zeroPoints);
            tensors.Add(zp);
            string centred = model.UniqueName(stem + "_centred");
            nodes.Add(NodeBuilder.Node("Sub", model.UniqueName(stem + "_Sub"), [current, zp.Name], [centred]));
            current = centred;
        }

        var scales = TensorData.CreateFloat(model.UniqueName(stem + "_scale"), broadcast, weight.Scales);
        tensors.Add(scales);
        nodes.Add(NodeBuilder.Node("Mul", model.UniqueName(stem + "_Mul"), [current, scales.Name], [outputName]));
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
