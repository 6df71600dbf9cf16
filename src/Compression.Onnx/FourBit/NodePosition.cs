using Onnx;

namespace Compression.Onnx.FourBit;

/// <summary>Finding a node in its graph, to replace it in place.</summary>
internal static class NodePosition
{
    public static int IndexOf(GraphProto graph, NodeProto node, string? filePath)
    {
        for (int i = 0; i < graph.Node.Count; i++)
        {
            if (ReferenceEquals(graph.Node[i], node))
            {
                return i;
            }
        }

        throw new CompressionException(DiagnosticCodes.GraphElementNotFound, $"Node '{node.Name}' ({node.OpType}) is no longer in its graph.", filePath, "This is a bug in the 4-bit pass: report it with the model.");
    }
}
