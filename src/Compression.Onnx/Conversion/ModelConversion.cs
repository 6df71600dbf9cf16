using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Conversion;

/// <summary>What every node conversion of one model shares: names, stored constants, the graphs' nesting and the value types.</summary>
internal sealed class ModelConversion
{
    private readonly Dictionary<GraphProto, GraphProto?> _parents = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<GraphProto, Dictionary<string, DataType>> _types = new(ReferenceEqualityComparer.Instance);

    public ModelConversion(OnnxModel model, int sourceOpset, int targetOpset, string? filePath)
    {
        Model = model;
        SourceOpset = sourceOpset;
        TargetOpset = targetOpset;
        FilePath = filePath;
        var graph = ModelGraph.Build(model);
        Names = graph.Names;
        Weights = graph.Weights;
        _parents[model.Proto.Graph] = null;
    }

    public OnnxModel Model { get; }

    public int SourceOpset { get; }

    public int TargetOpset { get; }

    public string? FilePath { get; }

    public UniqueNames Names { get; }

    public WeightCatalog Weights { get; }

    /// <summary>Constants the adapters added, by name.</summary>
    public Dictionary<string, TensorProto> Added { get; } = new(StringComparer.Ordinal);

    /// <summary>Nodes an adapter gave another operator type (Upsample -> Resize), with the type they had.</summary>
    public Dictionary<NodeProto, string> ReplacedOperators { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Nodes rewritten per operator type, for the report.</summary>
    public SortedDictionary<string, int> Adapted { get; } = new(StringComparer.Ordinal);

    public void AddSubgraph(GraphProto subgraph, GraphProto parent) => _parents[subgraph] = parent;

    public DataType ElementType(GraphProto graph, string name)
    {
        for (GraphProto? g = graph; g is not null; g = _parents.GetValueOrDefault(g))
        {
            if (!_types.TryGetValue(g, out var types)) _types[g] = types = ElementTypeInference.Infer(g);
            if (types.TryGetValue(name, out DataType t) && t != DataType.Undefined) return t;
        }

        return DataType.Undefined;
    }

    public int? Rank(GraphProto graph, string name)
    {
        for (GraphProto? g = graph; g is not null; g = _parents.GetValueOrDefault(g))
        {
            foreach (ValueInfoProto v in g.Input.Concat(g.ValueInfo).Concat(g.Output))
            {
                if (v.Name == name && v.Type?.TensorType?.Shape is { } shape) return shape.Dim.Count;
            }

            foreach (TensorProto t in g.Initializer)
            {
                if (t.Name == name) return t.Dims.Count;
            }
        }

        return null;
    }
}
