using Onnx;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;

namespace Compression.Onnx.FourBit;

/// <summary>Reading and writing the few node attributes the 4-bit rewrites need.</summary>
internal static class NodeAttributes
{
    public static long GetInt(NodeProto node, string name, long defaultValue)
    {
        foreach (AttributeProto attribute in node.Attribute)
        {
            if (attribute.Name == name)
            {
                return attribute.I;
            }
        }

        return defaultValue;
    }

    public static float GetFloat(NodeProto node, string name, float defaultValue)
    {
        foreach (AttributeProto attribute in node.Attribute)
        {
            if (attribute.Name == name)
            {
                return attribute.F;
            }
        }

        return defaultValue;
    }

    public static void AddInt(NodeProto node, string name, long value) =>
        node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeType.Int, I = value });
}
