using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Quantization;

/// <summary>Small constructors for nodes, attributes and tensors, so the passes read like the graphs they build.</summary>
internal static class OnnxBuilders
{
    public const string MicrosoftDomain = "com.microsoft";

    public static NodeProto Node(string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, string domain = "")
    {
        var node = new NodeProto { OpType = opType, Name = name, Domain = domain };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    public static NodeProto With(this NodeProto node, string name, long value)
    {
        node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });
        return node;
    }

    public static NodeProto With(this NodeProto node, string name, float value)
    {
        node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });
        return node;
    }

    public static NodeProto ConstantNode(TensorProto tensor, string nodeName)
    {
        var node = Node("Constant", nodeName, [], [tensor.Name]);
        node.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor });
        return node;
    }

    public static TensorProto Tensor(string name, DataType type, ReadOnlySpan<long> dims, byte[] raw) =>
        TensorData.CreateFromRawBytes(name, (int)type, dims, raw);

    public static TensorProto Floats(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> values) =>
        TensorData.CreateFloat(name, dims, values);

    public static long GetInt(this NodeProto node, string name, long fallback)
    {
        foreach (var a in node.Attribute) if (a.Name == name) return a.I;
        return fallback;
    }

    public static float GetFloat(this NodeProto node, string name, float fallback)
    {
        foreach (var a in node.Attribute) if (a.Name == name) return a.F;
        return fallback;
    }

    public static bool HasAttribute(this NodeProto node, string name)
    {
        foreach (var a in node.Attribute) if (a.Name == name) return true;
        return false;
    }

}
