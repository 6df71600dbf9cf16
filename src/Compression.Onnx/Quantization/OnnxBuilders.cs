using Google.Protobuf;
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

    public static TensorProto Tensor(string name, DataType type, ReadOnlySpan<long> dims, ByteString raw)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = raw };
        foreach (long d in dims) t.Dims.Add(d);
        return t;
    }

    public static TensorProto Floats(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> values) =>
        Tensor(name, DataType.Float, dims, InterimTensors.Bytes(values));

    public static TensorProto Int64s(string name, ReadOnlySpan<long> dims, ReadOnlySpan<long> values) =>
        Tensor(name, DataType.Int64, dims, InterimTensors.Bytes(values));

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

    /// <summary>Makes sure the model imports <paramref name="domain"/> (version 1 for com.microsoft).</summary>
    public static void EnsureOpsetImport(ModelProto model, string domain, long version)
    {
        foreach (var import in model.OpsetImport) if (import.Domain == domain) return;
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
    }
}
