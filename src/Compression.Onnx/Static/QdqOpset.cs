using System.Globalization;
using System.Runtime.InteropServices;
using Compression.Onnx.Graph;
using Compression.Onnx.Passes;
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
internal sealed class QdqOpset : IRewrite
{
    public const int Minimum = 10;

    /// <summary>Raises the default-domain opset to 10 when below, and says so in the notes and metadata.</summary>
    public void Apply(RewriteContext context, CancellationToken cancellationToken)
    {
        var model = context.Graph;
        string sourcePath = context.SourcePath;
        int opset = model.Opset;
        if (opset >= Minimum) return;
        var blocking = model.Nodes.Where(n => n.Node.Domain.Length == 0 && n.Node.OpType is "TopK" or "Upsample").Select(n => n.Node.OpType).Distinct().ToList();
        if (blocking.Count > 0 || model.Nodes.Any(n => !ReferenceEquals(n.Graph, model.Main) && n.Node.OpType == "Slice"))
        {
            throw new CompressionException(DiagnosticCodes.StaticOpsetTooOld,
                $"Mode=Static needs opset {Minimum} (QuantizeLinear, QLinearConv), and this opset {opset} model cannot be moved there safely ({(blocking.Count > 0 ? string.Join(", ", blocking) + " change meaning" : "Slice inside a subgraph")}).",
                sourcePath, "Convert the model to opset 13 or later (e.g. onnx.version_converter) and compress again, or use Mode=Dynamic.");
        }

        foreach (var (node, _) in model.Nodes.Where(n => n.Node.Domain.Length == 0 && n.Node.OpType == "Slice").ToList())
        {
            RewriteSlice(model, node);
        }

        foreach (var import in model.Proto.OpsetImport)
        {
            if (import.Domain.Length == 0 || import.Domain == "ai.onnx") import.Version = Minimum;
        }

        context.Pass.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"opset {opset} raised to {Minimum} for the QDQ form (Slice bounds moved to inputs)"));
        context.Pass.Metadata["compression.opset_raised_from"] = opset.ToString(CultureInfo.InvariantCulture);
        context.GraphChanged();
    }

    /// <summary>Slice-1 (starts/ends/axes attributes) as Slice-10 (the same values as int64 initializer inputs).</summary>
    private static void RewriteSlice(ModelGraph model, NodeProto node)
    {
        long[] starts = Ints(node, "starts") ?? [];
        long[] ends = Ints(node, "ends") ?? [];
        long[]? axes = Ints(node, "axes");
        for (int i = node.Attribute.Count - 1; i >= 0; i--)
        {
            if (node.Attribute[i].Name is "starts" or "ends" or "axes") node.Attribute.RemoveAt(i);
        }

        string stem = node.Name.Length > 0 ? node.Name : node.Output[0];
        node.Input.Add(Add(model, stem + "_starts", starts));
        node.Input.Add(Add(model, stem + "_ends", ends));
        if (axes is not null) node.Input.Add(Add(model, stem + "_axes", axes));
    }

    private static string Add(ModelGraph model, string stem, long[] values)
    {
        var tensor = TensorData.CreateFromRawBytes(model.UniqueName(stem), (int)DataType.Int64, [values.Length], MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        model.Main.Initializer.Add(tensor);
        return tensor.Name;
    }

    private static long[]? Ints(NodeProto node, string name) => node.GetInts(name);
}
