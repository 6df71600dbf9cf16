using Onnx;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;

namespace Compression.Onnx.Graph;

/// <summary>
/// The one way the engine builds and reads nodes and attributes, so rewrites read like the graphs they write:
/// <c>NodeBuilder.Node("Cast", name, [x], [y]).With("to", (long)DataType.Float)</c>.
/// </summary>
public static class NodeBuilder
{
    /// <summary>
    /// A node of <paramref name="opType"/> in <paramref name="domain"/>. The default ONNX domain is written by leaving the
    /// field unset, as <c>onnx.helper.make_node</c> does.
    /// </summary>
    /// <param name="opType">The operator.</param>
    /// <param name="name">The node name (unique in the model; see <see cref="UniqueNames"/>).</param>
    /// <param name="inputs">Input value names; an empty name holds the place of an absent optional input.</param>
    /// <param name="outputs">Output value names.</param>
    /// <param name="domain">The operator domain, for example <see cref="Opsets.MicrosoftDomain"/>.</param>
    public static NodeProto Node(string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, string domain = Opsets.DefaultDomain)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        if (domain.Length > 0)
        {
            node.Domain = domain;
        }

        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    /// <summary>A <c>Constant</c> node whose output is the tensor's name, named <paramref name="nodeName"/> (default: the tensor's name).</summary>
    /// <param name="tensor">The value.</param>
    /// <param name="nodeName">The node name.</param>
    public static NodeProto Constant(TensorProto tensor, string? nodeName = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var node = new NodeProto { OpType = "Constant", Name = nodeName ?? tensor.Name };
        node.Output.Add(tensor.Name);
        node.Attribute.Add(TensorAttribute("value", tensor));
        return node;
    }

    /// <summary>Adds an <c>int</c> attribute and returns the node.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    public static NodeProto With(this NodeProto node, string name, long value)
    {
        ArgumentNullException.ThrowIfNull(node);
        node.Attribute.Add(IntAttribute(name, value));
        return node;
    }

    /// <summary>Adds a <c>float</c> attribute and returns the node.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    public static NodeProto With(this NodeProto node, string name, float value)
    {
        ArgumentNullException.ThrowIfNull(node);
        node.Attribute.Add(FloatAttribute(name, value));
        return node;
    }

    /// <summary>An <c>int</c> attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    public static AttributeProto IntAttribute(string name, long value) => new() { Name = name, Type = AttributeType.Int, I = value };

    /// <summary>A <c>float</c> attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    public static AttributeProto FloatAttribute(string name, float value) => new() { Name = name, Type = AttributeType.Float, F = value };

    /// <summary>An <c>ints</c> attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="values">The values.</param>
    public static AttributeProto IntsAttribute(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A <c>floats</c> attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="values">The values.</param>
    public static AttributeProto FloatsAttribute(string name, IEnumerable<float> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return attribute;
    }

    /// <summary>A <c>string</c> attribute (UTF-8).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    public static AttributeProto StringAttribute(string name, string value) =>
        new() { Name = name, Type = AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(value) };

    /// <summary>A <c>tensor</c> attribute.</summary>
    /// <param name="name">The attribute name (<c>value</c> for a Constant node).</param>
    /// <param name="tensor">The value.</param>
    public static AttributeProto TensorAttribute(string name, TensorProto tensor) => new() { Name = name, Type = AttributeType.Tensor, T = tensor };

    /// <summary>A <c>sparse_tensor</c> attribute.</summary>
    /// <param name="name">The attribute name (<c>sparse_value</c> for a Constant node).</param>
    /// <param name="tensor">The value.</param>
    public static AttributeProto SparseTensorAttribute(string name, SparseTensorProto tensor) => new() { Name = name, Type = AttributeType.SparseTensor, SparseTensor = tensor };

    /// <summary>The attribute called <paramref name="name"/>, or <see langword="null"/>.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    public static AttributeProto? FindAttribute(this NodeProto node, string name)
    {
        ArgumentNullException.ThrowIfNull(node);
        foreach (AttributeProto attribute in node.Attribute)
        {
            if (attribute.Name == name)
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>The <c>int</c> attribute called <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="fallback">The operator's default.</param>
    public static long GetInt(this NodeProto node, string name, long fallback) => node.FindAttribute(name)?.I ?? fallback;

    /// <summary>The <c>float</c> attribute called <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="fallback">The operator's default.</param>
    public static float GetFloat(this NodeProto node, string name, float fallback) => node.FindAttribute(name)?.F ?? fallback;

    /// <summary>The <c>ints</c> attribute called <paramref name="name"/>, or <see langword="null"/> when absent.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    public static long[]? GetInts(this NodeProto node, string name) => node.FindAttribute(name)?.Ints.ToArray();

    /// <summary>Whether the node is in the default ONNX domain (written <c>""</c> or <c>ai.onnx</c>).</summary>
    /// <param name="node">The node.</param>
    public static bool IsDefaultDomain(this NodeProto node) => node.Domain is "" or "ai.onnx";
}
