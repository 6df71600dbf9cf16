using Compression.Onnx.IO;
using Onnx;

namespace Compression.Onnx.Graph;

/// <summary>
/// The one view of a model every pass asks, built in one walk (<see cref="Build"/>): every node with its graph, the
/// producer and the readers of every value (a subgraph's reads of outer values count as reads by the node that owns
/// it, following ONNX scoping), every weight wherever it lives (<see cref="Weights"/>: initializers, sparse
/// initializers, <c>Constant</c> nodes, in the main graph and every <c>If</c>/<c>Loop</c>/<c>Scan</c> body), the
/// names in use (<see cref="Names"/>) and the opset.
/// </summary>
/// <remarks>
/// The view describes the model as it was when built. Edits through <see cref="Weight"/> keep that weight current;
/// other edits leave the lookups stale. The rule for passes (docs/architecture.md): a rewrite that changes which node
/// produces or reads an existing value (a fusion, the BatchNormalization fold, an opset change) has the view rebuilt
/// when it is done (<c>RewriteContext.GraphChanged</c>); a rewrite that replaces weights and the nodes reading them
/// records what it took and wrote in the pass's claims instead, and later rewrites skip claimed names.
/// </remarks>
internal sealed partial class ModelGraph
{
    private static readonly IReadOnlyList<ValueUse> NoUses = [];
    private readonly Dictionary<string, (NodeProto Node, GraphProto Graph)> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ValueUse>> _uses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _graphOutputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Weight> _constants = new(StringComparer.Ordinal);
    private readonly List<(NodeProto Node, GraphProto Graph)> _nodes = [];
    private readonly Dictionary<GraphProto, HashSet<string>> _subgraphReads = new(ReferenceEqualityComparer.Instance);

    private ModelGraph(OnnxModel model)
    {
        Model = model;
        Opset = Opsets.DefaultDomainVersion(model.Proto);
    }

    /// <summary>The model (its <see cref="OnnxModel.Proto"/> is what passes edit).</summary>
    public OnnxModel Model { get; }

    /// <summary>The protobuf tree.</summary>
    public ModelProto Proto => Model.Proto;

    /// <summary>The main graph.</summary>
    public GraphProto Main => Model.Proto.Graph;

    /// <summary>The model file, for diagnostics.</summary>
    public string? FilePath => Model.FilePath;

    /// <summary>The default-domain opset the model imports (1 when it imports none).</summary>
    public int Opset { get; }

    /// <summary>The IR version (before 4, every initializer is also a graph input).</summary>
    public long IrVersion => Model.Proto.IrVersion;

    /// <summary>Every weight, in graph order (a graph's initializers, sparse initializers and Constant nodes, then its subgraphs').</summary>
    public WeightCatalog Weights { get; private set; } = null!;

    /// <summary>
    /// The dense constant tensors (initializers and <c>Constant value</c> tensors) by name; a name defined in two
    /// graphs (a subgraph hiding an outer name) is left out rather than guessed.
    /// </summary>
    public IReadOnlyDictionary<string, Weight> Constants => _constants;

    /// <summary>Every node with the graph it belongs to: each node before the nodes of its subgraphs.</summary>
    public IReadOnlyList<(NodeProto Node, GraphProto Graph)> Nodes => _nodes;

    /// <summary>Names not used anywhere in the model yet, reserved as they are handed out.</summary>
    public UniqueNames Names { get; } = UniqueNames.Empty();

    /// <summary>Lists everything about <paramref name="model"/> in one walk.</summary>
    /// <param name="model">The model.</param>
    /// <exception cref="CompressionException">CMP1004 when subgraphs nest deeper than <see cref="ModelTensors.MaxGraphDepth"/>.</exception>
    public static ModelGraph Build(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new ModelGraph(model);
        var weights = new List<Weight>();
        new Walk(graph, weights).Graph(model.Proto.Graph, []);
        graph.Names.AddFunctions(model.Proto);
        graph.Weights = new WeightCatalog(weights);

        var duplicates = new HashSet<string>(StringComparer.Ordinal);
        foreach (Weight weight in weights)
        {
            if (weight.Tensor is null || weight.SparseTensor is not null)
            {
                continue;
            }

            if (!graph._constants.TryAdd(weight.Name, weight))
            {
                duplicates.Add(weight.Name);
            }
        }

        foreach (string name in duplicates)
        {
            graph._constants.Remove(name);
        }

        return graph;
    }

    /// <summary>The node that produces <paramref name="name"/> (with its graph), or <see langword="null"/> for graph inputs, weights stored as tensors and unknown names.</summary>
    /// <param name="name">A value name.</param>
    public (NodeProto Node, GraphProto Graph)? ProducerOf(string name) => _producers.TryGetValue(name, out var producer) ? producer : null;

    /// <summary>
    /// The node inputs that read <paramref name="name"/>, model-wide, and the nodes whose subgraphs read it from outside
    /// (<see cref="ValueUse.InputIndex"/> -1); graph outputs are not listed (see <see cref="IsGraphOutput"/>).
    /// </summary>
    /// <param name="name">A value name.</param>
    public IReadOnlyList<ValueUse> UsesOf(string name) => _uses.TryGetValue(name, out var uses) ? uses : NoUses;

    /// <summary>The names the subgraphs of <paramref name="graph"/>'s nodes read from outside themselves (empty without control flow).</summary>
    /// <param name="graph">A graph of the model.</param>
    public IReadOnlySet<string> SubgraphReads(GraphProto graph) =>
        _subgraphReads.TryGetValue(graph, out var reads) ? reads : new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> is an output of any graph (the main graph or a subgraph): such values keep their name and meaning.</summary>
    /// <param name="name">A value name.</param>
    public bool IsGraphOutput(string name) => _graphOutputs.Contains(name);

    /// <summary>Whether <paramref name="name"/> is a dense constant (see <see cref="Constants"/>).</summary>
    /// <param name="name">A value name.</param>
    public bool IsConstant(string name) => _constants.ContainsKey(name);

    /// <summary>A value or node name not used anywhere in the model yet, based on <paramref name="stem"/>; reserves it.</summary>
    /// <param name="stem">The preferred name.</param>
    public string UniqueName(string stem) => Names.Next(stem);

    /// <summary>Whether <paramref name="node"/> is kept in float by <c>ExcludeNodes</c> or <c>ExcludeOps</c>.</summary>
    /// <param name="node">The node.</param>
    /// <param name="settings">The settings.</param>
    public static bool IsExcluded(NodeProto node, CompressionSettings settings) =>
        settings.ExcludeNodes.Contains(node.Name, StringComparer.Ordinal) || settings.ExcludeOps.Contains(node.OpType, StringComparer.Ordinal);

    private void AddUse(string name, ValueUse use)
    {
        if (!_uses.TryGetValue(name, out var list))
        {
            _uses[name] = list = [];
        }

        list.Add(use);
    }
}
