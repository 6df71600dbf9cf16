using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Graph;

/// <summary>
/// One constant tensor of a model (an initializer, a sparse initializer or a <c>Constant</c> node),
/// wherever it lives, with its consumers and the means to read and replace it.
/// </summary>
/// <remarks>
/// <see cref="Replace"/> and <see cref="WriteFloats"/> edit the model in place and keep this object current (it then
/// describes the new value); <see cref="ReplaceWith"/> turns the weight into a computed value, after which the object
/// describes what was removed. Consumers are those found when the <see cref="ModelGraph"/> was built.
/// </remarks>
public sealed class Weight
{
    private readonly OnnxModel _model;
    private readonly List<ValueUse> _consumers = [];
    private List<ValueUse>? _readers;
    private TensorProto? _materialized;

    internal Weight(OnnxModel model, string name, GraphProto graph, WeightStorage storage, TensorProto? tensor, SparseTensorProto? sparse, NodeProto? constantNode, AttributeProto? attribute)
    {
        _model = model;
        Name = name;
        Graph = graph;
        Storage = storage;
        Tensor = tensor;
        SparseTensor = sparse;
        ConstantNode = constantNode;
        ConstantAttribute = attribute;
        (ElementType, Dims) = Describe(tensor, sparse, attribute);
        ElementCount = TensorData.GetElementCount(Dims, name, model.FilePath);
    }

    /// <summary>The value name consumers refer to.</summary>
    public string Name { get; }

    /// <summary>The graph that stores the weight (the main graph or a subgraph).</summary>
    public GraphProto Graph { get; }

    /// <summary>How the weight is stored.</summary>
    public WeightStorage Storage { get; private set; }

    /// <summary>The stored dense tensor (initializer or <c>Constant value</c>), or <see langword="null"/> for other Constant forms and sparse weights.</summary>
    public TensorProto? Tensor { get; private set; }

    /// <summary>The stored sparse tensor (sparse initializer or <c>Constant sparse_value</c>), or <see langword="null"/>.</summary>
    public SparseTensorProto? SparseTensor { get; private set; }

    /// <summary>The <c>Constant</c> node that produces the weight, or <see langword="null"/>.</summary>
    public NodeProto? ConstantNode { get; }

    /// <summary>The attribute of <see cref="ConstantNode"/> that holds the value, or <see langword="null"/>.</summary>
    public AttributeProto? ConstantAttribute { get; private set; }

    /// <summary>The element type (<c>TensorProto.data_type</c>).</summary>
    public int ElementType { get; private set; }

    /// <summary>The element type's ONNX name (<c>float</c>, <c>float16</c>...).</summary>
    public string ElementTypeName => ElementTypes.GetName(ElementType);

    /// <summary>Whether the weight is <c>float</c>, <c>float16</c>, <c>bfloat16</c> or <c>double</c>.</summary>
    public bool IsFloat => ElementTypes.IsFloatLike(ElementType);

    /// <summary>The shape (empty for a scalar).</summary>
    public IReadOnlyList<long> Dims { get; private set; }

    /// <summary>The number of elements.</summary>
    public long ElementCount { get; private set; }

    /// <summary>Whether an initializer is also listed as a graph input (IR &lt; 4 style: a default that callers may override).</summary>
    public bool IsGraphInput { get; internal set; }

    /// <summary>Every use of the weight, in its graph and in nested subgraphs, graph outputs included.</summary>
    public IReadOnlyList<ValueUse> Consumers => _consumers;

    /// <summary>The node inputs that read the weight (<see cref="Consumers"/> without graph outputs), in graph order.</summary>
    public IReadOnlyList<ValueUse> Readers => _readers ??= _consumers.FindAll(c => c.Node is not null);

    /// <summary>Whether the element type is <c>float</c> (32-bit).</summary>
    public bool IsFloat32 => ElementType == (int)DataType.Float;

    internal void AddConsumer(ValueUse consumer)
    {
        _consumers.Add(consumer);
        _readers = null;
    }

    /// <summary>Reads the values as floats (float-like element types only; sparse weights are densified).</summary>
    public float[] ReadFloats()
    {
        if (Tensor is not null)
        {
            return TensorData.ReadFloats(Tensor, _model);
        }

        return TensorData.ReadFloats(ToTensor(), _model);
    }

    /// <summary>
    /// The values as a dense tensor: the stored tensor itself when there is one, otherwise a new tensor
    /// built from the Constant attribute or by densifying the sparse tensor.
    /// </summary>
    public TensorProto ToTensor()
    {
        if (Tensor is not null)
        {
            return Tensor;
        }

        return _materialized ??= Materialize();
    }

    /// <summary>Overwrites the values in the weight's own element type and shape (for example after pruning).</summary>
    /// <param name="values">Exactly <see cref="ElementCount"/> values.</param>
    public void WriteFloats(ReadOnlySpan<float> values)
    {
        if (Tensor is not null && Storage != WeightStorage.SparseInitializer)
        {
            TensorData.WriteFloats(Tensor, values);
            return;
        }

        var dense = ToTensor().Clone();
        TensorData.WriteFloats(dense, values);
        Replace(dense);
    }

    /// <summary>
    /// Replaces the weight's value with <paramref name="tensor"/> (any element type and shape), stored
    /// the same way under the same name: the initializer is swapped (a sparse one becomes dense), a
    /// Constant node gets it as its <c>value</c>. Consumers are unchanged; this object then describes the new value.
    /// </summary>
    /// <param name="tensor">The new value; its name is set to <see cref="Name"/>.</param>
    public void Replace(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.Name = Name;
        switch (Storage)
        {
            case WeightStorage.Initializer:
                Graph.Initializer[IndexOf(Graph.Initializer, Tensor!)] = tensor;
                break;
            case WeightStorage.SparseInitializer:
                Graph.SparseInitializer.RemoveAt(IndexOf(Graph.SparseInitializer, SparseTensor!));
                Graph.Initializer.Add(tensor);
                break;
            default:
                ConstantNode!.Attribute.Clear();
                ConstantAttribute = NodeBuilder.TensorAttribute("value", tensor);
                ConstantNode.Attribute.Add(ConstantAttribute);
                break;
        }

        GraphEditing.UpdateDeclaredType(Graph, Name, tensor);
        Storage = Storage == WeightStorage.SparseInitializer ? WeightStorage.Initializer : Storage;
        Tensor = tensor;
        SparseTensor = null;
        _materialized = null;
        (ElementType, Dims) = Describe(tensor, null, null);
        ElementCount = TensorData.GetElementCount(Dims, Name, _model.FilePath);
    }

    /// <summary>
    /// Removes the weight's storage and puts <paramref name="tensors"/> in its place (as initializers,
    /// or as Constant nodes when the weight was a Constant node), then inserts <paramref name="nodes"/>
    /// into the weight's graph in topological position (before the first node that uses their outputs).
    /// Typically the nodes compute a value named <see cref="Name"/> (for example <c>DequantizeLinear</c>),
    /// so the consumers need no change.
    /// </summary>
    /// <param name="tensors">New stored tensors (named by the caller, for example with <see cref="UniqueNames"/>).</param>
    /// <param name="nodes">New nodes, in execution order among themselves.</param>
    public void ReplaceWith(IReadOnlyList<TensorProto> tensors, IReadOnlyList<NodeProto> nodes)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(nodes);
        var inserted = new List<NodeProto>(tensors.Count + nodes.Count);
        switch (Storage)
        {
            case WeightStorage.Initializer:
                Graph.Initializer.RemoveAt(IndexOf(Graph.Initializer, Tensor!));
                Graph.Initializer.Add(tensors);
                break;
            case WeightStorage.SparseInitializer:
                Graph.SparseInitializer.RemoveAt(IndexOf(Graph.SparseInitializer, SparseTensor!));
                Graph.Initializer.Add(tensors);
                break;
            default:
                Graph.Node.RemoveAt(IndexOf(Graph.Node, ConstantNode!));
                foreach (TensorProto tensor in tensors)
                {
                    inserted.Add(NodeBuilder.Constant(tensor));
                }

                break;
        }

        GraphEditing.RemoveDeclaredType(Graph, Name);
        if (IsGraphInput)
        {
            // The value is now computed inside the graph, so it can no longer be fed from outside.
            GraphEditing.RemoveInput(Graph, Name);
        }

        inserted.AddRange(nodes);
        GraphEditing.InsertNodes(Graph, inserted, _model.FilePath);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({ElementTypeName}[{string.Join(", ", Dims)}], {Storage}, {_consumers.Count} consumers)";

    private TensorProto Materialize()
    {
        if (SparseTensor is not null)
        {
            return SparseTensors.Densify(SparseTensor, Name, _model);
        }

        AttributeProto attribute = ConstantAttribute!;
        return attribute.Name switch
        {
            "value_float" => TensorData.CreateFloat(Name, [], [attribute.F]),
            "value_floats" => TensorData.CreateFloat(Name, [attribute.Floats.Count], [.. attribute.Floats]),
            "value_int" => TensorData.CreateInt64(Name, [], [attribute.I]),
            "value_ints" => TensorData.CreateInt64(Name, [attribute.Ints.Count], [.. attribute.Ints]),
            "value_string" => TensorData.CreateString(Name, [], [attribute.S.ToStringUtf8()]),
            _ => TensorData.CreateString(Name, [attribute.Strings.Count], attribute.Strings.Select(s => s.ToStringUtf8()).ToArray()),
        };
    }

    private static (int Type, IReadOnlyList<long> Dims) Describe(TensorProto? tensor, SparseTensorProto? sparse, AttributeProto? attribute)
    {
        if (tensor is not null)
        {
            return (tensor.DataType, [.. tensor.Dims]);
        }

        if (sparse is not null)
        {
            return (sparse.Values?.DataType ?? 0, [.. sparse.Dims]);
        }

        return attribute!.Name switch
        {
            "value_float" => ((int)DataType.Float, []),
            "value_floats" => ((int)DataType.Float, [attribute.Floats.Count]),
            "value_int" => ((int)DataType.Int64, []),
            "value_ints" => ((int)DataType.Int64, [attribute.Ints.Count]),
            "value_string" => ((int)DataType.String, []),
            _ => ((int)DataType.String, [attribute.Strings.Count]),
        };
    }

    private static int IndexOf<T>(IList<T> list, T item)
        where T : class
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(list[i], item))
            {
                return i;
            }
        }

        throw new CompressionException(DiagnosticCodes.GraphElementNotFound, "The weight is no longer stored in its graph: it was replaced or removed after the catalog was built.", null, "Build a new WeightCatalog after editing the model.");
    }
}
