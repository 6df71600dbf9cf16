using System.Globalization;
using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Conversion;

/// <summary>
/// One node being moved across one schema change: the node, its graph, and the edits adapters make (attributes,
/// inputs, new constants, new nodes before it). A refusal names the operator, the node and both opsets.
/// </summary>
internal sealed class NodeConversion
{
    private readonly ModelConversion _model;

    public NodeConversion(ModelConversion model, NodeProto node, GraphProto graph, int schemaVersion, bool up)
    {
        _model = model;
        Node = node;
        Graph = graph;
        SchemaVersion = schemaVersion;
        Up = up;
    }

    public NodeProto Node { get; }

    public GraphProto Graph { get; }

    /// <summary>The schema version being crossed: up converts a node of the older schema into this one, down the reverse.</summary>
    public int SchemaVersion { get; }

    public bool Up { get; }

    /// <summary>Nodes an adapter needs in front of <see cref="Node"/> (in execution order).</summary>
    public List<NodeProto> NodesBefore { get; } = [];

    /// <summary>Nodes an adapter needs right after <see cref="Node"/> (in execution order).</summary>
    public List<NodeProto> NodesAfter { get; } = [];

    /// <summary>The operator type the node had before an adapter replaced it (Upsample for a Resize made from one), else its type.</summary>
    public string OriginalOpType => _model.ReplacedOperators.GetValueOrDefault(Node, Node.OpType);

    /// <summary>The opset the whole model is converted to.</summary>
    public int TargetOpset => _model.TargetOpset;

    public AttributeProto? Attribute(string name) => Node.FindAttribute(name);

    public AttributeProto? TakeAttribute(string name)
    {
        AttributeProto? a = Attribute(name);
        if (a is not null) Node.Attribute.Remove(a);
        return a;
    }

    public void SetAttribute(AttributeProto attribute)
    {
        TakeAttribute(attribute.Name);
        Node.Attribute.Add(attribute);
    }

    public string? StringAttribute(string name) => Attribute(name) is { } a ? a.S.ToStringUtf8() : null;

    public string Input(int index) => index < Node.Input.Count ? Node.Input[index] : string.Empty;

    /// <summary>Sets input <paramref name="index"/>, padding skipped optional inputs with empty names.</summary>
    public void SetInput(int index, string name)
    {
        while (Node.Input.Count <= index) Node.Input.Add(string.Empty);
        Node.Input[index] = name;
        TrimInputs();
    }

    /// <summary>Removes input <paramref name="index"/> (leaves an empty name when later inputs follow).</summary>
    public void ClearInput(int index)
    {
        if (index < Node.Input.Count) Node.Input[index] = string.Empty;
        TrimInputs();
    }

    /// <summary>Adds <paramref name="tensor"/> as an initializer of the node's graph under a fresh name and returns the name.</summary>
    public string AddConstant(TensorProto tensor, string role)
    {
        string baseName = (Node.Name.Length > 0 ? Node.Name : Node.OpType) + "_" + role;
        tensor.Name = _model.Names.Next(baseName);
        Graph.Initializer.Add(tensor);
        _model.Added[tensor.Name] = tensor;
        return tensor.Name;
    }

    public string AddInt64s(string role, long[] values, bool scalar = false) =>
        AddConstant(TensorData.CreateInt64("", scalar ? [] : [values.Length], values), role);

    /// <summary>A fresh value name for an output of a node an adapter adds.</summary>
    public string NewValue(string role) => _model.Names.Next((Node.Name.Length > 0 ? Node.Name : Node.OpType) + "_" + role);

    /// <summary>The stored value of input <paramref name="index"/> when it is a constant (an initializer no graph input overrides, or a Constant node).</summary>
    public TensorProto? ConstantInput(int index)
    {
        string name = Input(index);
        if (name.Length == 0) return null;
        if (_model.Added.TryGetValue(name, out TensorProto? added)) return added;
        Weight? weight = _model.Weights.FindAll(name).FirstOrDefault(w => !w.IsGraphInput && w.Storage != WeightStorage.SparseInitializer);
        return weight?.ToTensor();
    }

    /// <summary>The integer values of constant input <paramref name="index"/>, or a refusal saying it must be constant.</summary>
    public long[] RequireInt64Input(int index, string what)
    {
        TensorProto tensor = ConstantInput(index) ?? throw Refuse($"its {what} (input {index}) is computed at run time, and the older schema needs it as an attribute");
        return TensorData.ReadInt64s(tensor, _model.Model);
    }

    public float[] RequireFloatInput(int index, string what)
    {
        TensorProto tensor = ConstantInput(index) ?? throw Refuse($"its {what} (input {index}) is computed at run time, and the older schema needs it as an attribute");
        return TensorData.ReadFloats(tensor, _model.Model);
    }

    /// <summary>The element type of a value when the graph tells it (declarations, stored tensors, simple propagation).</summary>
    public DataType ElementType(string name) => _model.ElementType(Graph, name);

    /// <summary>The rank of a value when its shape is declared, else <see langword="null"/>.</summary>
    public int? Rank(string name) => _model.Rank(Graph, name);

    /// <summary>The coded error for a node this converter cannot move across <see cref="SchemaVersion"/>.</summary>
    public CompressionException Refuse(string reason)
    {
        int older = OperatorVersions.SchemaAt(Node.OpType, SchemaVersion - 1) ?? SchemaVersion - 1;
        int from = Up ? older : SchemaVersion;
        int to = Up ? SchemaVersion : older;
        string node = Node.Name.Length > 0 ? $" node '{Node.Name}'" : string.Empty;
        return new CompressionException(DiagnosticCodes.OpCannotBeConverted,
            string.Create(CultureInfo.InvariantCulture, $"{Node.OpType}{node} cannot be converted from opset {_model.SourceOpset} to opset {_model.TargetOpset}: between schema {Node.OpType}-{from} and {Node.OpType}-{to}, {reason}."),
            _model.FilePath,
            "Keep the model's own opset (remove TargetOpset), choose a target on the same side of that schema change, or re-export the model at the opset you need.");
    }

    private void TrimInputs()
    {
        while (Node.Input.Count > 0 && Node.Input[^1].Length == 0) Node.Input.RemoveAt(Node.Input.Count - 1);
    }
}
