using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Pruning;

/// <summary>
/// One graph as channel pruning sees it, taken from the pass's <see cref="ModelGraph"/>: who consumes each value in this
/// graph, which names the subgraphs of its nodes read, and the constants defined in it (initializers, sparse
/// initializers, Constant nodes), which can be read and replaced several times (a Conv kernel loses output and input
/// channels). Consumer lists are kept current through <see cref="Detach"/>; weights through <see cref="Weight.Replace"/>.
/// </summary>
internal sealed class ChannelGraph
{
    private readonly Dictionary<string, List<(NodeProto Node, int Input)>> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Weight> _weights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);

    public ChannelGraph(ModelGraph model, GraphProto graph)
    {
        Model = model.Model;
        Graph = graph;
        Names = model.Names;
        foreach (Weight weight in model.Weights.Where(w => ReferenceEquals(w.Graph, graph)))
        {
            _weights[weight.Name] = weight;
        }

        foreach (var (node, owner) in model.Nodes)
        {
            if (!ReferenceEquals(owner, graph))
            {
                continue;
            }

            foreach (string output in node.Output)
            {
                _producers[output] = node;
            }

            for (int i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i].Length == 0)
                {
                    continue;
                }

                if (!_consumers.TryGetValue(node.Input[i], out var list))
                {
                    _consumers[node.Input[i]] = list = [];
                }

                list.Add((node, i));
            }
        }

        OuterUses = model.SubgraphReads(graph);
        Outputs = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
    }

    public OnnxModel Model { get; }

    public GraphProto Graph { get; }

    public UniqueNames Names { get; }

    /// <summary>Names the subgraphs of this graph's nodes read from outside themselves.</summary>
    public IReadOnlySet<string> OuterUses { get; }

    public HashSet<string> Outputs { get; }

    /// <summary>The node of this graph that produces each value, as the graph was when pruning began.</summary>
    public IReadOnlyDictionary<string, NodeProto> Producers => _producers;

    public IReadOnlyList<(NodeProto Node, int Input)> ConsumersOf(string name) =>
        _consumers.TryGetValue(name, out var list) ? list : [];

    /// <summary>Every use of a value: node inputs, subgraph reads and graph outputs.</summary>
    public int UseCount(string name) => ConsumersOf(name).Count + (OuterUses.Contains(name) ? 1 : 0) + (Outputs.Contains(name) ? 1 : 0);

    public bool IsConstant(string name) => _weights.TryGetValue(name, out Weight? weight) && (!weight.IsGraphInput || Model.Proto.IrVersion < PrunableWeights.InitializersAreInputsBefore);

    /// <summary>The current value of a constant of this graph, or null.</summary>
    public TensorProto? Constant(string name)
    {
        if (!IsConstant(name))
        {
            return null;
        }

        if (!_current.TryGetValue(name, out TensorProto? tensor))
        {
            _current[name] = tensor = _weights[name].ToTensor();
        }

        return tensor;
    }

    public long[]? ConstantDims(string name) => Constant(name) is { } t ? [.. t.Dims] : null;

    public bool IsFloatConstant(string name) => Constant(name) is { } t && ElementTypes.IsFloatLike(t.DataType);

    public float[] ReadFloats(string name) => TensorData.ReadFloats(Constant(name)!, Model);

    /// <summary>An integer constant (int64 or int32) as longs, or null.</summary>
    public long[]? ReadInts(string name)
    {
        TensorProto? tensor = Constant(name);
        if (tensor is null)
        {
            return null;
        }

        return (DataType)tensor.DataType switch
        {
            DataType.Int64 => TensorData.ReadInt64s(tensor, Model),
            DataType.Int32 => ReadInt32s(tensor),
            _ => null,
        };
    }

    /// <summary>Replaces the value of constant <paramref name="name"/> (same name; a sparse initializer becomes dense).</summary>
    public void Replace(string name, TensorProto tensor)
    {
        _weights[name].Replace(tensor);
        _current[name] = tensor;
    }

    /// <summary>Gives <paramref name="node"/>'s input <paramref name="input"/> its own copy of the constant it reads, so it can be changed alone.</summary>
    public string Detach(NodeProto node, int input)
    {
        string name = node.Input[input];
        TensorProto copy = Constant(name)!.Clone();
        string fresh = Names.Next(name + "_pruned");
        copy.Name = fresh;
        Weight original = _weights[name];
        _consumers[name].RemoveAll(c => ReferenceEquals(c.Node, node) && c.Input == input);
        node.Input[input] = fresh;
        _consumers[fresh] = [(node, input)];
        NodeProto? constantNode = null;
        if (original.Storage == WeightStorage.ConstantNode)
        {
            constantNode = NodeBuilder.Constant(copy);
            GraphEditing.InsertNodes(Graph, [constantNode], Model.FilePath);
        }
        else
        {
            Graph.Initializer.Add(copy);
            if (original.IsGraphInput)
            {
                // IR 3: every initializer is declared as a graph input as well.
                Graph.Input.Add(new ValueInfoProto { Name = fresh });
                GraphEditing.UpdateDeclaredType(Graph, fresh, copy);
            }
        }

        _weights[fresh] = Register(copy, constantNode, original.IsGraphInput && constantNode is null);
        _current[fresh] = copy;
        return fresh;
    }

    /// <summary>Adds a new constant (an initializer, or a Constant node before <paramref name="consumer"/> when the graph stores weights that way) and returns its name.</summary>
    public string AddConstant(string name, TensorProto tensor, NodeProto consumer)
    {
        tensor.Name = name;
        bool constantNodes = Graph.Initializer.Count == 0 && _weights.Values.Any(w => w.Storage == WeightStorage.ConstantNode);
        NodeProto? constantNode = null;
        if (constantNodes)
        {
            constantNode = NodeBuilder.Constant(tensor);
            Graph.Node.Insert(Graph.Node.IndexOf(consumer), constantNode);
        }
        else
        {
            Graph.Initializer.Add(tensor);
        }

        _weights[name] = Register(tensor, constantNode, isGraphInput: false);
        _current[name] = tensor;
        return name;
    }

    /// <summary>Drops the optional value_info declaration of a value whose shape changed.</summary>
    public void DropDeclaration(string name)
    {
        foreach (ValueInfoProto value in Graph.ValueInfo.Where(v => v.Name == name).ToList())
        {
            Graph.ValueInfo.Remove(value);
        }
    }

    /// <summary>The weight entry of a tensor this class just stored (an initializer, or the value of <paramref name="constantNode"/>).</summary>
    private Weight Register(TensorProto tensor, NodeProto? constantNode, bool isGraphInput) => constantNode is null
        ? new Weight(Model, tensor.Name, Graph, WeightStorage.Initializer, tensor, null, null, null) { IsGraphInput = isGraphInput }
        : new Weight(Model, tensor.Name, Graph, WeightStorage.ConstantNode, tensor, null, constantNode, constantNode.Attribute[0]);

    private long[] ReadInt32s(TensorProto tensor)
    {
        if (tensor.Int32Data.Count > 0)
        {
            return tensor.Int32Data.Select(v => (long)v).ToArray();
        }

        ReadOnlySpan<byte> raw = TensorData.GetRawBytes(tensor, Model).Span;
        var result = new long[raw.Length / 4];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(raw.Slice(i * 4, 4));
        }

        return result;
    }
}
