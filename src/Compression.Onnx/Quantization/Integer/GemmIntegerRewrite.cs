using Compression.Onnx.Graph;
using Onnx;

namespace Compression.Onnx.Quantization.Integer;

/// <summary>
/// <c>Gemm</c> with a constant 2-D B as the MatMul form: B stored [K, N] (transposed first when <c>transB</c>),
/// <c>transA</c> as a Transpose in front, <c>alpha</c> folded into a scaled copy of the weight scales, <c>beta</c> into a
/// scaled copy of a constant C (a computed C needs beta 1), and C added behind.
/// </summary>
internal sealed class GemmIntegerRewrite : IIntegerOpRewrite
{
    public string OpType => "Gemm";

    public bool Accepts(NodeProto node, Weight weight, DynamicQuantization run) =>
        weight.Dims.Count == 2 && (run.Settings.MatMulForm == IntegerMatMulForm.Fused || run.Model.Opset >= 11)
        && (node.Input.Count < 3 || node.Input[2].Length == 0 || run.Model.IsConstant(node.Input[2]) || node.GetFloat("beta", 1f) == 1f);

    public QuantizedWeight Quantize(float[] values, Weight weight, DynamicQuantization run)
    {
        long[] dims = [.. weight.Dims];
        if (weight.Readers[0].Node!.GetInt("transB", 0) != 0)
        {
            values = Transpose2D(values, (int)dims[0], (int)dims[1]);
            dims = [dims[1], dims[0]];
        }

        return QuantizedWeight.Quantize(values, dims, run.Settings.PerChannel ? 1 : null, run.Signed, run.Symmetric, run.ReduceRange);
    }

    public void Rewrite(NodeProto node, GraphProto graph, Weight weight, DynamicQuantization run)
    {
        var stored = run.Store(weight);
        var nodes = new List<NodeProto>();
        string a = node.Input[0];
        if (node.GetInt("transA", 0) != 0)
        {
            string transposed = run.Model.UniqueName(a + "_transposed");
            nodes.Add(NodeBuilder.Node("Transpose", run.Model.UniqueName(node.Name + "_TransposeA"), [a], [transposed]));
            a = transposed;
        }

        float alpha = node.GetFloat("alpha", 1f);
        string scale = stored.Scale;
        if (alpha != 1f)
        {
            var scaled = Array.ConvertAll(stored.Weight.Scales, s => s * alpha);
            scale = run.AddFloats(graph, weight.Name + "_scale_alpha", stored.Weight.Axis is null ? [] : [scaled.Length], scaled, node);
        }

        string? bias = null;
        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            bias = node.Input[2];
            float beta = node.GetFloat("beta", 1f);
            if (beta != 1f && run.Model.Constants.TryGetValue(bias, out var c))
            {
                var values = c.ReadFloats();
                for (int i = 0; i < values.Length; i++) values[i] *= beta;
                bias = run.AddFloats(graph, bias + "_beta", [.. c.Dims], values, node);
            }
        }

        run.EmitProduct(node, graph, a, stored, scale, bias, nodes);
        run.ReplaceNode(graph, node, nodes);
    }

    /// <summary>[rows, columns] row-major to [columns, rows].</summary>
    private static float[] Transpose2D(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++) result[c * rows + r] = values[r * columns + c];
        }

        return result;
    }
}
