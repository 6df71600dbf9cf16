using Compression.Onnx.Graph;
using Compression.Onnx.Passes;
using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Quantization.Integer;

/// <summary>
/// What the integer rewrites of one <see cref="DynamicIntegerOps"/> run share (ONNX Runtime's quantizer object): the
/// weights quantized ahead, each weight stored once for all its readers, one <c>DynamicQuantizeLinear</c> per activation
/// and graph, and the node chains every integer op ends with.
/// </summary>
internal sealed class DynamicQuantization
{
    // By graph reference: a GraphProto's Equals and hash cover its whole content, which changes as nodes are replaced.
    private readonly Dictionary<GraphProto, Dictionary<string, (string Q, string Scale, string ZeroPoint)>> _dynamicInputs = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, StoredWeight> _stored = new(StringComparer.Ordinal);

    public DynamicQuantization(RewriteContext context)
    {
        Context = context;
        Signed = Settings.Quantize == QuantizationType.Int8;
        Symmetric = Settings.EffectiveSymmetric;
        ReduceRange = Signed && Settings.WeightRange == WeightRange.Portable;
    }

    public RewriteContext Context { get; }

    public ModelGraph Model => Context.Graph;

    public CompressionSettings Settings => Context.Settings;

    public bool Signed { get; }

    public bool Symmetric { get; }

    /// <summary>Signed MatMul/Gemm weights in 7 bits unless WeightRange=Full: see <see cref="WeightRange.Portable"/> and docs/cpu-portability.md.</summary>
    public bool ReduceRange { get; }

    /// <summary>The weights quantized ahead (in parallel) by name; a weight missing here is not converted.</summary>
    public Dictionary<string, QuantizedWeight> Precomputed { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Stores the precomputed quantized weight once for all its readers and returns the names of its tensors. With
    /// <paramref name="scalarZeroPoint"/> a per-channel weight gets one zero point (ConvInteger takes only a scalar).
    /// </summary>
    public StoredWeight Store(Weight weight, bool scalarZeroPoint = false)
    {
        if (_stored.TryGetValue(weight.Name, out var stored)) return stored;
        var q = Precomputed[weight.Name];
        var tensors = new List<TensorProto> { q.DataTensor(Model.UniqueName(weight.Name + "_quantized")), q.ScaleTensor(Model.UniqueName(weight.Name + "_scale")) };
        string? zp = null;
        if (!q.ZeroPointsAreZero)
        {
            var zpTensor = q.Axis is not null && scalarZeroPoint
                ? TensorData.CreateFromRawBytes(Model.UniqueName(weight.Name + "_zero_point"), (int)q.ElementType, [], [unchecked((byte)q.ZeroPoints[0])])
                : q.ZeroPointTensor(Model.UniqueName(weight.Name + "_zero_point"));
            tensors.Add(zpTensor);
            zp = zpTensor.Name;
        }

        Model.ReplaceWeightStorage(weight, tensors);
        foreach (var tensor in tensors) Context.Claim(tensor.Name);
        stored = new StoredWeight(q, tensors[0].Name, tensors[1].Name, zp);
        _stored[weight.Name] = stored;
        return stored;
    }

    /// <summary>Stores a new float tensor in <paramref name="graph"/> before <paramref name="reader"/> and claims it.</summary>
    public string AddFloats(GraphProto graph, string stem, ReadOnlySpan<long> dims, ReadOnlySpan<float> values, NodeProto reader)
    {
        var tensor = TensorData.CreateFloat(Model.UniqueName(stem), dims, values);
        Model.AddTensor(graph, tensor, reader);
        Context.Claim(tensor.Name);
        return tensor.Name;
    }

    /// <summary>One <c>DynamicQuantizeLinear</c> per activation and graph, shared by every integer op reading it.</summary>
    public (string Q, string Scale, string ZeroPoint) DynamicInput(GraphProto graph, string x, string stem, List<NodeProto> nodes)
    {
        if (!_dynamicInputs.TryGetValue(graph, out var inGraph)) _dynamicInputs[graph] = inGraph = new(StringComparer.Ordinal);
        if (inGraph.TryGetValue(x, out var existing)) return existing;
        var names = (Model.UniqueName(x + "_quantized"), Model.UniqueName(x + "_scale"), Model.UniqueName(x + "_zero_point"));
        nodes.Add(NodeBuilder.Node("DynamicQuantizeLinear", Model.UniqueName(stem + "_DynamicQuantizeLinear"), [x], [names.Item1, names.Item2, names.Item3]));
        inGraph[x] = names;
        return names;
    }

    /// <summary>Cast the int32 result to float and multiply by x_scale · w_scale.</summary>
    public void Rescale(string stem, string integer, string xScale, string wScale, string output, List<NodeProto> nodes)
    {
        string asFloat = Model.UniqueName(stem + "_float");
        string combined = Model.UniqueName(stem + "_scale");
        nodes.Add(NodeBuilder.Node("Cast", Model.UniqueName(stem + "_Cast"), [integer], [asFloat]).With("to", (long)DataType.Float));
        nodes.Add(NodeBuilder.Node("Mul", Model.UniqueName(stem + "_ScaleProduct"), [xScale, wScale], [combined]));
        nodes.Add(NodeBuilder.Node("Mul", Model.UniqueName(stem + "_Rescale"), [asFloat, combined], [output]));
    }

    /// <summary>
    /// x·W (+ bias) with W stored as integers [K, N]: the fused <c>com.microsoft</c> <c>DynamicQuantizeMatMul</c> or the
    /// plain ONNX chain (<see cref="CompressionSettings.MatMulForm"/>).
    /// </summary>
    public void EmitProduct(NodeProto node, GraphProto graph, string x, StoredWeight w, string scale, string? bias, List<NodeProto> nodes)
    {
        string output = node.Output[0];
        string stem = node.Name.Length > 0 ? node.Name : output;
        bool biasIsVector = bias is not null && Model.Constants.TryGetValue(bias, out var b) && b.Dims.Count == 1;
        string product = bias is null ? output : Model.UniqueName(stem + "_product");
        if (Settings.MatMulForm == IntegerMatMulForm.Fused)
        {
            Opsets.EnsureImport(Model.Proto, Opsets.MicrosoftDomain, 1);
            var inputs = new List<string> { x, w.Data, scale, w.ZeroPoint ?? string.Empty };
            if (biasIsVector) inputs.Add(bias!);
            string target = biasIsVector ? output : product;
            nodes.Add(NodeBuilder.Node("DynamicQuantizeMatMul", Model.UniqueName(stem + "_DynamicQuantizeMatMul"), TrimEmpty(inputs), [target], Opsets.MicrosoftDomain));
            if (bias is not null && !biasIsVector) nodes.Add(NodeBuilder.Node("Add", Model.UniqueName(stem + "_AddBias"), [product, bias], [output]));
            return;
        }

        var (xq, xs, xzp) = DynamicInput(graph, x, stem, nodes);
        var inputsI = new List<string> { xq, w.Data, xzp };
        if (w.ZeroPoint is not null) inputsI.Add(w.ZeroPoint);
        string integer = Model.UniqueName(stem + "_int32");
        nodes.Add(NodeBuilder.Node("MatMulInteger", Model.UniqueName(stem + "_MatMulInteger"), inputsI, [integer]));
        Rescale(stem, integer, xs, scale, product, nodes);
        if (bias is not null) nodes.Add(NodeBuilder.Node("Add", Model.UniqueName(stem + "_AddBias"), [product, bias], [output]));
    }

    /// <summary>Puts <paramref name="nodes"/> where <paramref name="node"/> was.</summary>
    public void ReplaceNode(GraphProto graph, NodeProto node, List<NodeProto> nodes) => GraphEditing.ReplaceNode(graph, node, nodes, Model.FilePath);

    private static List<string> TrimEmpty(List<string> inputs)
    {
        while (inputs.Count > 0 && inputs[^1].Length == 0) inputs.RemoveAt(inputs.Count - 1);
        return inputs;
    }
}

/// <summary>A weight as stored for the integer ops: its quantization and the names of its data, scale and zero point (null when all zero).</summary>
internal sealed record StoredWeight(QuantizedWeight Weight, string Data, string Scale, string? ZeroPoint);
