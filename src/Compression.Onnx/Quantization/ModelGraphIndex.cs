using Compression.Onnx.IO;
using Compression.Onnx.Graph;
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
    public ConstantTensor(Weight weight)
    {
        Weight = weight;
        foreach (var consumer in weight.Consumers)
        {
            if (consumer.Node is not null) Uses.Add(new ValueUse(consumer.Node, consumer.InputIndex, consumer.Graph));
        }
    }

    /// <summary>The io layer's view of the weight, which reads external data and edits the graph.</summary>
    public Weight Weight { get; }

    public string Name => Weight.Name;

    public TensorProto Tensor => Weight.Tensor!;

    public GraphProto Graph => Weight.Graph;

    /// <summary>The <c>Constant</c> node holding the tensor, or <see langword="null"/> for an initializer.</summary>
    public NodeProto? ConstantNode => Weight.ConstantNode;

    public List<ValueUse> Uses { get; } = [];

    public long ElementCount => Weight.ElementCount;

    public bool IsFloat32 => Weight.ElementType == (int)TensorProto.Types.DataType.Float;

    public float[] ReadFloats() => Weight.ReadFloats();
}

/// <summary>
/// Where every value of a model comes from and who reads it, across nested subgraphs. ONNX names are unique across
/// a graph and its subgraphs (a subgraph may read, not redefine, an outer name), so one model-wide map is exact.
/// </summary>
internal sealed class ModelGraphIndex
{
    private readonly UniqueNames _names;

    private ModelGraphIndex(OnnxModel model)
    {
        OnnxModel = model;
        _names = UniqueNames.ForModel(model.Proto);
    }

    public OnnxModel OnnxModel { get; }

    public ModelProto Model => OnnxModel.Proto;

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

    public static ModelGraphIndex Build(OnnxModel model)
    {
        var index = new ModelGraphIndex(model);
        index.Opset = DefaultOpset(model.Proto);
        index.Visit(model.Proto.Graph);

        // Dense constants (initializers and Constant value tensors); a name defined twice (legal only when a subgraph
        // hides an outer name) is left alone rather than guessed.
        var duplicates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var weight in WeightCatalog.Build(model))
        {
            if (weight.Tensor is null || weight.SparseTensor is not null) continue;
            if (!index.Constants.TryAdd(weight.Name, new ConstantTensor(weight))) duplicates.Add(weight.Name);
        }

        foreach (string name in duplicates) index.Constants.Remove(name);
        foreach (var (node, graph) in index.Nodes)
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                string name = node.Input[i];
                if (name.Length == 0) continue;
                var use = new ValueUse(node, i, graph);
                if (!index.Uses.TryGetValue(name, out var list)) index.Uses[name] = list = [];
                list.Add(use);
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

    public static int DefaultOpset(ModelProto model) => Graph.Opsets.DefaultDomainVersion(model);

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
    public string UniqueName(string stem) => _names.Next(stem);

    public static bool IsExcluded(NodeProto node, CompressionSettings settings) =>
        settings.ExcludeNodes.Contains(node.Name, StringComparer.Ordinal) || settings.ExcludeOps.Contains(node.OpType, StringComparer.Ordinal);

    private void Visit(GraphProto graph)
    {
        foreach (var o in graph.Output) GraphOutputs.Add(o.Name);
        foreach (var node in graph.Node)
        {
            Nodes.Add((node, graph));
            foreach (var o in node.Output)
            {
                if (o.Length > 0) Producers[o] = (node, graph);
            }

            foreach (var a in node.Attribute) foreach (var g in Subgraphs(a)) Visit(g);
        }
    }
}
