using Onnx;

namespace Compression.Onnx.Quantization;

/// <summary>One input slot of a node that reads a value: the node, which input, and the graph the node lives in.</summary>
internal readonly record struct ValueUse(NodeProto Node, int InputIndex, GraphProto Graph);

/// <summary>
/// A constant float tensor the passes may rewrite: an initializer or the <c>value</c> of a <c>Constant</c> node,
/// in the main graph or any <c>If</c>/<c>Loop</c>/<c>Scan</c> body, with every node that reads it (in its own graph
/// or in nested subgraphs, which see outer names).
/// </summary>
internal sealed class ConstantTensor
{
    public required string Name { get; init; }

    public required TensorProto Tensor { get; init; }

    public required GraphProto Graph { get; init; }

    /// <summary>The <c>Constant</c> node holding the tensor, or <see langword="null"/> for an initializer.</summary>
    public NodeProto? ConstantNode { get; init; }

    public List<ValueUse> Uses { get; } = [];

    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (long d in Tensor.Dims) n *= d;
            return n;
        }
    }

    public bool IsFloat32 => Tensor.DataType == (int)TensorProto.Types.DataType.Float;
}

/// <summary>
/// Where every value of a model comes from and who reads it, across nested subgraphs. ONNX names are unique across
/// a graph and its subgraphs (a subgraph may read, not redefine, an outer name), so one model-wide map is exact.
/// </summary>
internal sealed class ModelGraphIndex
{
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);

    private ModelGraphIndex(ModelProto model)
    {
        Model = model;
    }

    public ModelProto Model { get; }

    /// <summary>Constant tensors by value name.</summary>
    public Dictionary<string, ConstantTensor> Constants { get; } = new(StringComparer.Ordinal);

    /// <summary>Every node with the graph it belongs to, outer graphs first.</summary>
    public List<(NodeProto Node, GraphProto Graph)> Nodes { get; } = [];

    /// <summary>Readers of every value by name (including graph outputs' producers are not uses).</summary>
    public Dictionary<string, List<ValueUse>> Uses { get; } = new(StringComparer.Ordinal);

    /// <summary>Names of graph outputs (any graph): such values must keep their name and meaning.</summary>
    public HashSet<string> GraphOutputs { get; } = new(StringComparer.Ordinal);

    /// <summary>The node producing a value, by name (not for graph inputs and initializers).</summary>
    public Dictionary<string, (NodeProto Node, GraphProto Graph)> Producers { get; } = new(StringComparer.Ordinal);

    /// <summary>The default-domain opset the model imports.</summary>
    public int Opset { get; private set; }

    public static ModelGraphIndex Build(ModelProto model)
    {
        var index = new ModelGraphIndex(model);
        index.Opset = DefaultOpset(model);
        index.Visit(model.Graph);
        foreach (var (node, graph) in index.Nodes)
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                string name = node.Input[i];
                if (name.Length == 0) continue;
                var use = new ValueUse(node, i, graph);
                if (!index.Uses.TryGetValue(name, out var list)) index.Uses[name] = list = [];
                list.Add(use);
                if (index.Constants.TryGetValue(name, out var constant)) constant.Uses.Add(use);
            }

            // A subgraph's implicit reads of outer values count as uses by the node that owns the subgraph.
            foreach (var attribute in node.Attribute)
            {
                foreach (var sub in Subgraphs(attribute))
                {
                    foreach (string outer in OuterReads(sub))
                    {
                        if (!index.Uses.TryGetValue(outer, out var list)) index.Uses[outer] = list = [];
                        var use = new ValueUse(node, -1, graph);
                        if (!list.Contains(use)) list.Add(use);
                    }
                }
            }
        }

        return index;
    }

    public static int DefaultOpset(ModelProto model)
    {
        foreach (var import in model.OpsetImport)
        {
            if (import.Domain.Length == 0 || import.Domain == "ai.onnx") return (int)import.Version;
        }

        return 1;
    }

    public static IEnumerable<GraphProto> Subgraphs(AttributeProto attribute)
    {
        if (attribute.G is not null) yield return attribute.G;
        foreach (var g in attribute.Graphs) yield return g;
    }

    /// <summary>Names a subgraph (or its own subgraphs) reads from outside itself.</summary>
    public static HashSet<string> OuterReads(GraphProto graph)
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in graph.Input) defined.Add(i.Name);
        foreach (var t in graph.Initializer) defined.Add(t.Name);
        foreach (var n in graph.Node) foreach (var o in n.Output) defined.Add(o);
        var reads = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in graph.Node)
        {
            foreach (var i in n.Input) if (i.Length > 0 && !defined.Contains(i)) reads.Add(i);
            foreach (var a in n.Attribute) foreach (var g in Subgraphs(a)) foreach (var r in OuterReads(g)) if (!defined.Contains(r)) reads.Add(r);
        }

        foreach (var o in graph.Output) if (!defined.Contains(o.Name)) reads.Add(o.Name);
        return reads;
    }

    /// <summary>A value name (or node name) not used anywhere in the model yet; reserves it.</summary>
    public string UniqueName(string stem)
    {
        string name = stem;
        for (int i = 1; !_usedNames.Add(name); i++) name = $"{stem}_{i}";
        return name;
    }

    public static bool IsExcluded(NodeProto node, CompressionSettings settings) =>
        settings.ExcludeNodes.Contains(node.Name, StringComparer.Ordinal) || settings.ExcludeOps.Contains(node.OpType, StringComparer.Ordinal);

    private void Visit(GraphProto graph)
    {
        foreach (var i in graph.Input) _usedNames.Add(i.Name);
        foreach (var o in graph.Output) { _usedNames.Add(o.Name); GraphOutputs.Add(o.Name); }
        foreach (var t in graph.Initializer)
        {
            _usedNames.Add(t.Name);
            Constants[t.Name] = new ConstantTensor { Name = t.Name, Tensor = t, Graph = graph };
        }

        foreach (var node in graph.Node)
        {
            Nodes.Add((node, graph));
            if (node.Name.Length > 0) _usedNames.Add(node.Name);
            foreach (var o in node.Output)
            {
                if (o.Length == 0) continue;
                _usedNames.Add(o);
                Producers[o] = (node, graph);
            }

            if (node.OpType == "Constant" && node.Domain.Length == 0 && node.Output.Count == 1 && node.Attribute.Count == 1
                && node.Attribute[0].Name == "value" && node.Attribute[0].T is { } tensor)
            {
                Constants[node.Output[0]] = new ConstantTensor { Name = node.Output[0], Tensor = tensor, Graph = graph, ConstantNode = node };
            }

            foreach (var a in node.Attribute) foreach (var g in Subgraphs(a)) Visit(g);
        }
    }
}
