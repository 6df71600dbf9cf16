using System.Globalization;
using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Onnx;

namespace Compression.Onnx.Conversion;

/// <summary>
/// Converts a model's default-domain opset up or down, node by node: each node crosses every schema change of its
/// operator between the two opsets, through the adapter of that change (<see cref="AdapterTable"/>) or unchanged when
/// the change only widened types. <c>If</c>/<c>Loop</c>/<c>Scan</c> bodies are converted with the graph. Other domains
/// (com.microsoft, ai.onnx.ml) are left as they are.
/// </summary>
public static class OpsetConverter
{
    /// <summary>The opsets ONNX Runtime 1.31.1 runs, oldest and newest: the range of <c>TargetOpset</c>.</summary>
    public static (int Oldest, int Newest) SupportedOpsets => (OperatorVersions.OldestSupported, OperatorVersions.NewestSupported);

    /// <summary>Rewrites <paramref name="model"/> in place to default-domain opset <paramref name="targetOpset"/>.</summary>
    /// <param name="model">The model (its <see cref="OnnxModel.Proto"/> is edited).</param>
    /// <param name="targetOpset">The opset to convert to.</param>
    /// <param name="filePath">The model's path, for diagnostics.</param>
    /// <returns>The source opset and how many nodes of each operator were rewritten.</returns>
    /// <exception cref="CompressionException">CMP4701 (a node cannot cross a schema change), CMP4702 (opset out of range), CMP4703 (operator missing at the target), CMP4704 (local functions), CMP4705 (ONNX Runtime rejects the model converted down).</exception>
    public static OpsetConversion Convert(OnnxModel model, int targetOpset, string? filePath = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelProto proto = model.Proto;
        int source = (int)(Opsets.GetVersion(proto, Opsets.DefaultDomain) ?? targetOpset);
        var (oldest, newest) = SupportedOpsets;
        if (targetOpset < oldest || targetOpset > newest)
        {
            throw new CompressionException(DiagnosticCodes.TargetOpsetOutOfRange, string.Create(CultureInfo.InvariantCulture, $"TargetOpset={targetOpset} is outside the opsets ONNX Runtime 1.31 runs ({oldest} to {newest})."),
                filePath, string.Create(CultureInfo.InvariantCulture, $"Choose a TargetOpset from {oldest} to {newest}."));
        }

        var conversion = new ModelConversion(model, source, targetOpset, filePath);
        if (source != targetOpset)
        {
            if (proto.Functions.Any(f => f.Node.Any(n => IsDefaultDomain(n.Domain))))
            {
                throw new CompressionException(DiagnosticCodes.FunctionsNotConverted, "The model has local functions with ONNX operators, which the opset converter does not rewrite.", filePath,
                    "Inline the functions (onnx.inliner) or keep the model's own opset.");
            }

            ConvertGraph(conversion, proto.Graph, 0);
        }

        SetDefaultOpset(proto, targetOpset);
        if (targetOpset > source) proto.IrVersion = Math.Max(proto.IrVersion, MinimumIrVersion(targetOpset));

        // Before IR 4 every initializer had to be a graph input too; the adapters' constants are not.
        if (conversion.Added.Count > 0) proto.IrVersion = Math.Max(proto.IrVersion, 4);
        if (targetOpset < source) DownConversionCheck.EnsureLoads(model, source, targetOpset, filePath);
        return new OpsetConversion(source, targetOpset, conversion.Adapted);
    }

    private static void ConvertGraph(ModelConversion conversion, GraphProto graph, int depth)
    {
        if (depth > ModelTensors.MaxGraphDepth) return;
        for (int i = 0; i < graph.Node.Count; i++)
        {
            NodeProto node = graph.Node[i];
            foreach (AttributeProto attribute in node.Attribute)
            {
                foreach (GraphProto body in attribute.G is null ? attribute.Graphs : attribute.Graphs.Prepend(attribute.G))
                {
                    conversion.AddSubgraph(body, graph);
                    ConvertGraph(conversion, body, depth + 1);
                }
            }

            if (!IsDefaultDomain(node.Domain)) continue;
            var (before, after) = ConvertNode(conversion, node, graph);
            for (int k = 0; k < before.Count; k++) graph.Node.Insert(i + k, before[k]);
            i += before.Count;
            for (int k = 0; k < after.Count; k++) graph.Node.Insert(i + 1 + k, after[k]);
            i += after.Count;
        }
    }

    private static (List<NodeProto> Before, List<NodeProto> After) ConvertNode(ModelConversion conversion, NodeProto node, GraphProto graph)
    {
        var before = new List<NodeProto>();
        var after = new List<NodeProto>();
        string original = node.OpType;
        bool changed = false;
        int current = conversion.SourceOpset, target = conversion.TargetOpset;
        if (!OperatorVersions.IsKnown(node.OpType)) throw NotInTarget(conversion, node, "ONNX Runtime 1.31 knows no such ONNX operator");
        if (OperatorVersions.KernelMissingFrom(node.OpType) is int missing && target >= missing && OperatorVersions.SchemaAt(node.OpType, target) >= missing)
        {
            throw NotInTarget(conversion, node, string.Create(CultureInfo.InvariantCulture, $"ONNX Runtime 1.31 has no CPU kernel for {node.OpType}-{OperatorVersions.SchemaAt(node.OpType, target)}, so choose a target below {missing}"));
        }

        while (true)
        {
            bool up = target > current;
            int? crossing = up
                ? ChangePoints(node.OpType).Where(v => v > current && v <= target).Cast<int?>().Min()
                : ChangePoints(node.OpType).Where(v => v <= current && v > target).Cast<int?>().Max();
            if (crossing is not int version) break;
            var step = new NodeConversion(conversion, node, graph, version, up);
            OpChange? change = AdapterTable.Find(node.OpType, version);
            Action<NodeConversion>? adapt = up ? change?.Up : change?.Down;
            if (adapt is null && up && version <= 6) throw step.Refuse("schema changes before opset 7 are not adapted");
            if (adapt is null && !up && version == ChangePoints(node.OpType)[0])
            {
                throw NotInTarget(conversion, node, string.Create(CultureInfo.InvariantCulture, $"it exists from opset {version}"));
            }

            if (adapt is not null)
            {
                string typeBefore = node.OpType;
                adapt(step);
                if (node.OpType != typeBefore) conversion.ReplacedOperators[node] = typeBefore;
                changed = true;
            }

            before.AddRange(step.NodesBefore);
            after.InsertRange(0, step.NodesAfter);
            current = up ? version : version - 1;
        }

        if (changed) conversion.Adapted[original] = conversion.Adapted.GetValueOrDefault(original) + 1;
        return (before, after);
    }

    /// <summary>The schema versions of an operator plus the opset at which a deprecated one must be replaced.</summary>
    private static IReadOnlyList<int> ChangePoints(string opType) =>
        AdapterTable.Deprecations.TryGetValue(opType, out int replacedAt) ? [.. OperatorVersions.Changes(opType), replacedAt] : OperatorVersions.Changes(opType);

    private static CompressionException NotInTarget(ModelConversion conversion, NodeProto node, string reason) =>
        new(DiagnosticCodes.OpNotInTargetOpset,
            string.Create(CultureInfo.InvariantCulture, $"{node.OpType}{(node.Name.Length > 0 ? $" node '{node.Name}'" : string.Empty)} cannot be converted from opset {conversion.SourceOpset} to opset {conversion.TargetOpset}: {reason}."),
            conversion.FilePath, "Choose a TargetOpset at which every operator of the model exists, or keep the model's own opset.");

    private static bool IsDefaultDomain(string domain) => domain is "" or "ai.onnx";

    private static void SetDefaultOpset(ModelProto proto, int version)
    {
        foreach (OperatorSetIdProto opset in proto.OpsetImport)
        {
            if (IsDefaultDomain(opset.Domain))
            {
                opset.Version = version;
                return;
            }
        }

        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = Opsets.DefaultDomain, Version = version });
    }

    /// <summary>The IR version that introduced each opset's features (ONNX's versioning table), capped at 10: int4 types are
    /// the newest feature the compressor writes, and ONNX Runtime loads every opset it supports at IR 10.</summary>
    private static long MinimumIrVersion(int opset) => opset switch
    {
        <= 8 => 3,
        9 => 4,
        10 => 5,
        11 => 6,
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };
}
