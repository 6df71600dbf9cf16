using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Graph;

/// <summary>
/// The element type of every value of a graph, from the declared inputs, stored tensors and a per-op rule (most ops
/// produce their first input's type). Enough for the float16 conversion to know which edges carry floats; a value
/// whose type cannot be told is <see cref="DataType.Undefined"/>.
/// </summary>
internal static class ElementTypeInference
{
    private static readonly HashSet<string> BoolOutputs = ["Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "And", "Or", "Xor", "Not", "IsNaN", "IsInf"];
    private static readonly HashSet<string> Int64Outputs = ["Shape", "Size", "ArgMax", "ArgMin", "NonZero", "NonMaxSuppression"];

    public static Dictionary<string, DataType> Infer(GraphProto graph)
    {
        var types = new Dictionary<string, DataType>(StringComparer.Ordinal);
        foreach (var v in graph.Input) types[v.Name] = (DataType)(v.Type?.TensorType?.ElemType ?? 0);
        foreach (var v in graph.ValueInfo) types[v.Name] = (DataType)(v.Type?.TensorType?.ElemType ?? 0);
        foreach (var t in graph.Initializer) types[t.Name] = (DataType)t.DataType;
        foreach (var node in graph.Node)
        {
            var outputs = OutputTypes(node, types);
            for (int i = 0; i < node.Output.Count; i++)
            {
                if (node.Output[i].Length > 0) types[node.Output[i]] = i < outputs.Length ? outputs[i] : DataType.Undefined;
            }
        }

        return types;
    }

    private static DataType[] OutputTypes(NodeProto node, Dictionary<string, DataType> types)
    {
        DataType Input(int i) => i < node.Input.Count && types.TryGetValue(node.Input[i], out var t) ? t : DataType.Undefined;
        if (node.Domain.Length != 0) return [DataType.Undefined];
        if (BoolOutputs.Contains(node.OpType)) return [DataType.Bool];
        if (Int64Outputs.Contains(node.OpType)) return [DataType.Int64];
        return node.OpType switch
        {
            "Constant" => [(DataType)(node.FindAttribute("value")?.T?.DataType ?? (int)DataType.Undefined)],
            "Cast" => [(DataType)node.GetInt("to", 0)],
            "ConstantOfShape" => [(DataType)(node.FindAttribute("value")?.T?.DataType ?? (int)DataType.Float)],
            "TopK" => [Input(0), DataType.Int64],
            "Where" => [Input(1)],
            "DequantizeLinear" => [DataType.Float],
            "QuantizeLinear" => [node.Input.Count > 2 ? Input(2) : DataType.Uint8],
            "DynamicQuantizeLinear" => [DataType.Uint8, DataType.Float, DataType.Uint8],
            "MatMulInteger" or "ConvInteger" => [DataType.Int32],
            "If" or "Loop" or "Scan" => [DataType.Undefined],
            "RandomNormal" or "RandomUniform" or "EyeLike" or "RandomNormalLike" or "RandomUniformLike" => [(DataType)node.GetInt("dtype", (long)DataType.Float)],
            _ => Enumerable.Repeat(Input(0), Math.Max(1, node.Output.Count)).ToArray(),
        };
    }
}
