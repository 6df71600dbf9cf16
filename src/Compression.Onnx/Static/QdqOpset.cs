using System.Runtime.InteropServices;
using Compression.Onnx.Quantization;
using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Static;

/// <summary>
/// ONNX Runtime fuses QDQ groups into default-domain QLinearConv/QLinearMatMul, which exist from opset 10; on an opset 9
/// model the fused node fails to load ("No Op registered for QLinearConv with domain_version of 9", measured with 1.31.1).
/// So a model below opset 10 is moved to opset 10, which only works when nothing it holds changes meaning between 9 and
/// 10: Slice moves its bounds from attributes to inputs (rewritten here); TopK and Upsample change incompatibly
/// (CMP4105). Dropout, MaxPool and AveragePool only gain optional attributes.
/// </summary>
internal static class QdqOpset
{
    public const int Minimum = 10;

    /// <summary>Raises the default-domain opset to 10 when below; returns the old opset when it did, else null.</summary>
    public static int? Ensure(ModelGraphIndex index, string sourcePath)
    {
        int opset = index.Opset;
        if (opset >= Minimum) return null;
        var blocking = index.Nodes.Where(n => n.Node.Domain.Length == 0 && n.Node.OpType is "TopK" or "Upsample").Select(n => n.Node.OpType).Distinct().ToList();
        if (blocking.Count > 0 || index.Nodes.Any(n => !ReferenceEquals(n.Graph, index.Model.Graph) && n.Node.OpType == "Slice"))
        {
            throw new CompressionException(DiagnosticCodes.StaticOpsetTooOld,
                $"Mode=Static needs opset {Minimum} (QuantizeLinear, QLinearConv), and this opset {opset} model cannot be moved there safely ({(blocking.Count > 0 ? string.Join(", ", blocking) + " change meaning" : "Slice inside a subgraph")}).",
                sourcePath, "Convert the model to opset 13 or later (e.g. onnx.version_converter) and compress again, or use Mode=Dynamic.");
        }

        foreach (var (node, _) in index.Nodes.Where(n => n.Node.Domain.Length == 0 && n.Node.OpType == "Slice").ToList())
        {
            RewriteSlice(index, node);
        }

        foreach (var import in index.Model.OpsetImport)
        {
            if (import.Domain.Length == 0 || import.Domain == "ai.onnx") import.Version = Minimum;
        }

        return opset;
    }

    /// <summary>Slice-1 (starts/ends/axes attributes) as Slice-10 (the same values as int64 initializer inputs).</summary>
    private static void RewriteSlice(ModelGraphIndex index, NodeProto node)
    {
        long[] starts = Ints(node, "starts") ?? [];
        long[] ends = Ints(node, "ends") ?? [];
        long[]? axes = Ints(node, "axes");
        for (int i = node.Attribute.Count - 1; i >= 0; i--)
        {
            if (node.Attribute[i].Name is "starts" or "ends" or "axes") node.Attribute.RemoveAt(i);
        }

        string stem = node.Name.Length > 0 ? node.Name : node.Output[0];
        node.Input.Add(Add(index, stem + "_starts", starts));
        node.Input.Add(Add(index, stem + "_ends", ends));
        if (axes is not null) node.Input.Add(Add(index, stem + "_axes", axes));
    }

    private static string Add(ModelGraphIndex index, string stem, long[] values)
    {
        var tensor = TensorData.CreateFromRawBytes(index.UniqueName(stem), (int)DataType.Int64, [values.Length], MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        index.Model.Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    private static long[]? Ints(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.Ints.ToArray();
}
