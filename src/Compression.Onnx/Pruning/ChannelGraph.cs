using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Onnx;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Pruning;

/// <summary>
/// One graph as channel pruning sees it: who produces and who consumes each value, which names nested
/// subgraphs read, and the constants defined in the graph (initializers, sparse initializers, Constant nodes),
/// which can be read and replaced several times (a Conv kernel loses output and input channels).
/// </summary>
internal sealed class ChannelGraph
{
    private readonly Dictionary<string, List<(NodeProto Node, int Input)>> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Weight> _weights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _current = new(StringComparer.Ordinal);

    public ChannelGraph(OnnxModel model, GraphProto graph, WeightCatalog catalog, UniqueNames names)
    {
        Model = model;
        Graph = graph;
        Names = names;
        foreach (Weight weight in catalog.Where(w => ReferenceEquals(w.Graph, graph)))
        {
            _weights[weight.Name] = weight;
        }

        foreach (NodeProto node in graph.Node)
        {
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

            foreach (AttributeProto attribute in node.Attribute)
            {
                foreach (GraphProto subgraph in attribute.Graphs.Append(attribute.G).OfType<GraphProto>())
                {
                    CollectNames(subgraph, OuterUses);
                }
            }
        }

        Outputs = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
    }

    public OnnxModel Model { get; }

    public GraphProto Graph { get; }

    public UniqueNames Names { get; }

    /// <summary>Names read anywhere inside the subgraphs of this graph's nodes (conservatively: every input name there).</summary>
    public HashSet<string> OuterUses { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Outputs { get; }

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

    /// <summary>Replaces the value of constant <paramref name="name"/> (same name, same storage kind).</summary>
    public void Replace(string name, TensorProto tensor)
    {
        tensor.Name = name;
        Weight weight = _weights[name];
        switch (weight.Storage)
        {
            case WeightStorage.Initializer:
                Graph.Initializer[IndexOf(Graph.Initializer, t => t.Name == name)] = tensor;
                break;
            case WeightStorage.SparseInitializer:
                Graph.SparseInitializer.RemoveAt(IndexOf(Graph.SparseInitializer, s => s.Values?.Name == name));
                Graph.Initializer.Add(tensor);
                _weights[name] = WeightAsInitializer(name);
                break;
            default:
                weight.ConstantNode!.Attribute.Clear();
                weight.ConstantNode.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeType.Tensor, T = tensor });
                break;
        }

        _current[name] = tensor;
        GraphEditing.UpdateDeclaredType(Graph, name, tensor);
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
        if (original.Storage == WeightStorage.ConstantNode)
        {
            GraphEditing.InsertNodes(Graph, [GraphEditing.CreateConstant(copy)], Model.FilePath);
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

        _weights[fresh] = Register(fresh, original.Storage);
        _current[fresh] = copy;
        return fresh;
    }

    /// <summary>Adds a new constant (an initializer, or a Constant node before <paramref name="consumer"/> when the graph stores weights that way) and returns its name.</summary>
    public string AddConstant(string name, TensorProto tensor, NodeProto consumer)
    {
        tensor.Name = name;
        bool constantNodes = Graph.Initializer.Count == 0 && _weights.Values.Any(w => w.Storage == WeightStorage.ConstantNode);
        if (constantNodes)
        {
            Graph.Node.Insert(Graph.Node.IndexOf(consumer), GraphEditing.CreateConstant(tensor));
        }
        else
        {
            Graph.Initializer.Add(tensor);
        }

        _weights[name] = Register(name, constantNodes ? WeightStorage.ConstantNode : WeightStorage.Initializer);
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

    private Weight Register(string name, WeightStorage storage)
    {
        // A throwaway catalog entry: only Storage and ConstantNode are used for edits after a detach.
        WeightCatalog fresh = WeightCatalog.Build(Model);
        return fresh.FindAll(name).First(w => ReferenceEquals(w.Graph, Graph) && w.Storage == storage);
    }

    private Weight WeightAsInitializer(string name) => Register(name, WeightStorage.Initializer);

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

    private static int IndexOf<T>(IList<T> list, Func<T, bool> match)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (match(list[i]))
            {
                return i;
            }
        }

        throw new CompressionException(DiagnosticCodes.GraphElementNotFound, "A constant changed by channel pruning is no longer in its graph.", null, "This is a bug in the pruner: report it with the model.");
    }

    private static void CollectNames(GraphProto graph, HashSet<string> names)
    {
        foreach (NodeProto node in graph.Node)
        {
            names.UnionWith(node.Input.Where(i => i.Length > 0));
            foreach (AttributeProto attribute in node.Attribute)
            {
                foreach (GraphProto subgraph in attribute.Graphs.Append(attribute.G).OfType<GraphProto>())
                {
                    CollectNames(subgraph, names);
                }
            }
        }

        names.UnionWith(graph.Output.Select(o => o.Name));
    }
}
