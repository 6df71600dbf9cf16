using Compression.Onnx.Graph;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Quantization;

/// <summary>
/// Dynamic 8-bit quantization of MatMul, Gemm and Conv whose weight is a constant: weights quantized offline, the
/// activation quantized at run time by <c>DynamicQuantizeLinear</c> (uint8, per tensor), integer products rescaled
/// by <c>x_scale · w_scale[channel]</c> after the integer op, as in ONNX Runtime's quantize_dynamic. A weight is
/// converted only when every node reading it can be; the others are left to the weight-only pass.
/// </summary>
internal sealed class DynamicQuantizer
{
    private readonly ModelGraphIndex _index;
    private readonly CompressionSettings _settings;
    private readonly IntegerMatMulForm _form;
    private readonly bool _signed;
    private readonly bool _symmetric;

    // Signed MatMul/Gemm weights in 7 bits unless WeightRange=Full: see WeightRange.Portable and docs/cpu-portability.md.
    private readonly bool _reduceRange;
    private readonly Dictionary<(GraphProto, string), (string Q, string Scale, string ZeroPoint)> _dynamicInputs = [];
    private readonly Dictionary<string, (QuantizedWeight Weight, string Data, string Scale, string? ZeroPoint)> _stored = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QuantizedWeight> _precomputed = new(StringComparer.Ordinal);

    public DynamicQuantizer(ModelGraphIndex index, CompressionSettings settings)
    {
        _index = index;
        _settings = settings;
        _form = settings.MatMulForm;
        _signed = settings.Quantize == QuantizationType.Int8;
        _symmetric = settings.EffectiveSymmetric;
        _reduceRange = _signed && settings.WeightRange == WeightRange.Portable;
    }

    public int MatMulCount { get; private set; }

    public int GemmCount { get; private set; }

    public int ConvCount { get; private set; }

    /// <summary>Names of the weights now stored as integers for integer ops.</summary>
    public HashSet<string> ConvertedWeights { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Constants the conversion consumed and removed (a Conv bias now stored as [1, M, 1...]): the index still lists
    /// them, so the weight-only pass must skip them too (issue 19: a BatchNormalization-folded bias of 256+ floats).
    /// </summary>
    public HashSet<string> RemovedConstants { get; } = new(StringComparer.Ordinal);

    public void Run(CancellationToken cancellationToken) => Run(null, cancellationToken);

    /// <summary>As <see cref="Run(CancellationToken)"/>, telling <paramref name="weightsDone"/> (weights done, weights) as each is quantized, from worker threads.</summary>
    public void Run(Action<int, int>? weightsDone, CancellationToken cancellationToken)
    {
        var plan = new List<(NodeProto Node, GraphProto Graph, ConstantTensor Weight)>();
        foreach (var (node, graph) in _index.Nodes)
        {
            if (node.Domain.Length != 0 || ModelGraphIndex.IsExcluded(node, _settings) || node.Input.Count < 2
                || !_index.Constants.TryGetValue(node.Input[1], out var weight) || _index.Constants.ContainsKey(node.Input[0]))
            {
                continue;
            }

            if (weight.Uses.TrueForAll(u => CanConvert(u.Node, weight)) && WeightSelection.IsCandidate(_index, weight, _settings))
            {
                plan.Add((node, graph, weight));
            }
        }

        // The arithmetic (read, range, quantize) runs in parallel over distinct weights; graph edits stay sequential and
        // in graph order, so the output is the same bytes whatever the scheduling.
        var distinct = plan.Select(p => p.Weight).DistinctBy(w => w.Name).ToList();
        var quantized = new QuantizedWeight?[distinct.Count];
        int done = 0;
        Parallel.For(0, distinct.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            quantized[i] = QuantizeFor(distinct[i]);
            weightsDone?.Invoke(Interlocked.Increment(ref done), distinct.Count);
        });
        weightsDone?.Invoke(distinct.Count, distinct.Count);
        for (int i = 0; i < distinct.Count; i++)
        {
            if (quantized[i] is { } q) _precomputed[distinct[i].Name] = q;
        }

        foreach (var (node, graph, weight) in plan)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_precomputed.ContainsKey(weight.Name)) continue;
            switch (node.OpType)
            {
                case "MatMul":
                    ConvertMatMul(node, graph, weight);
                    MatMulCount++;
                    break;
                case "Gemm":
                    ConvertGemm(node, graph, weight);
                    GemmCount++;
                    break;
                case "Conv":
                    ConvertConv(node, graph, weight);
                    ConvCount++;
                    break;
            }

            ConvertedWeights.Add(weight.Name);
        }
    }

    private bool CanConvert(NodeProto node, ConstantTensor weight)
    {
        if (node.Domain.Length != 0 || node.Input.Count < 2 || node.Input[1] != weight.Name || node.Input[0] == weight.Name
            || ModelGraphIndex.IsExcluded(node, _settings))
        {
            return false;
        }

        int rank = weight.Tensor.Dims.Count;
        var first = weight.Uses[0].Node;
        bool sameAsFirst = first.OpType == node.OpType && first.GetInt("transB", 0) == node.GetInt("transB", 0);
        return node.OpType switch
        {
            "MatMul" => rank == 2 && sameAsFirst && (_form == IntegerMatMulForm.Fused || _index.Opset >= 11),
            "Gemm" => rank == 2 && sameAsFirst && (_form == IntegerMatMulForm.Fused || _index.Opset >= 11)
                && (node.Input.Count < 3 || node.Input[2].Length == 0 || _index.Constants.ContainsKey(node.Input[2]) || node.GetFloat("beta", 1f) == 1f),
            "Conv" => rank >= 3 && sameAsFirst && _index.Opset >= 11
                && (node.Input.Count < 3 || node.Input[2].Length == 0 || _index.Constants.ContainsKey(node.Input[2]))
                && (_symmetric || !_settings.PerChannel), // ConvInteger takes only a scalar weight zero point
            _ => false,
        };
    }

    /// <summary>Stores the precomputed quantized weight once for all its readers.</summary>
    private (QuantizedWeight Weight, string Data, string Scale, string? ZeroPoint) Store(ConstantTensor weight)
    {
        if (_stored.TryGetValue(weight.Name, out var stored)) return stored;
        var q = _precomputed[weight.Name];
        var tensors = new List<TensorProto> { q.DataTensor(_index.UniqueName(weight.Name + "_quantized")), q.ScaleTensor(_index.UniqueName(weight.Name + "_scale")) };
        string? zp = null;
        if (!q.ZeroPointsAreZero)
        {
            var zpTensor = q.Axis is not null && weight.Uses[0].Node.OpType == "Conv"
                ? OnnxBuilders.Tensor(_index.UniqueName(weight.Name + "_zero_point"), q.ElementType, [], [unchecked((byte)q.ZeroPoints[0])])
                : q.ZeroPointTensor(_index.UniqueName(weight.Name + "_zero_point"));
            tensors.Add(zpTensor);
            zp = zpTensor.Name;
        }

        ConstantRewriter.ReplaceStorage(_index, weight, tensors);
        stored = (q, tensors[0].Name, tensors[1].Name, zp);
        _stored[weight.Name] = stored;
        return stored;
    }

    private void ConvertMatMul(NodeProto node, GraphProto graph, ConstantTensor weight)
    {
        var stored = Store(weight);
        var nodes = new List<NodeProto>();
        EmitProduct(node, graph, node.Input[0], stored, stored.Scale, bias: null, node.Output[0], nodes);
        ReplaceNode(graph, node, nodes);
    }

    private void ConvertGemm(NodeProto node, GraphProto graph, ConstantTensor weight)
    {
        bool transB = node.GetInt("transB", 0) != 0;
        var stored = Store(weight);
        var nodes = new List<NodeProto>();
        string a = node.Input[0];
        if (node.GetInt("transA", 0) != 0)
        {
            string transposed = _index.UniqueName(a + "_transposed");
            nodes.Add(OnnxBuilders.Node("Transpose", _index.UniqueName(node.Name + "_TransposeA"), [a], [transposed]));
            a = transposed;
        }

        float alpha = node.GetFloat("alpha", 1f);
        string scale = stored.Scale;
        if (alpha != 1f)
        {
            var scaled = Array.ConvertAll(stored.Weight.Scales, s => s * alpha);
            var t = OnnxBuilders.Floats(_index.UniqueName(weight.Name + "_scale_alpha"), stored.Weight.Axis is null ? [] : [scaled.Length], scaled);
            ConstantRewriter.AddTensor(_index, graph, t, node);
            scale = t.Name;
        }

        string? bias = null;
        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            bias = node.Input[2];
            float beta = node.GetFloat("beta", 1f);
            if (beta != 1f && _index.Constants.TryGetValue(bias, out var c))
            {
                var values = c.ReadFloats();
                for (int i = 0; i < values.Length; i++) values[i] *= beta;
                var t = OnnxBuilders.Floats(_index.UniqueName(bias + "_beta"), [.. c.Tensor.Dims], values);
                ConstantRewriter.AddTensor(_index, graph, t, node);
                bias = t.Name;
            }
        }

        EmitProduct(node, graph, a, stored, scale, bias, node.Output[0], nodes);
        ReplaceNode(graph, node, nodes);
    }

    /// <summary>x·W (+ bias) with W stored as integers [K, N]: fused contrib op or the plain ONNX chain.</summary>
    private void EmitProduct(NodeProto node, GraphProto graph, string x, (QuantizedWeight Weight, string Data, string Scale, string? ZeroPoint) w, string scale, string? bias, string output, List<NodeProto> nodes)
    {
        string stem = node.Name.Length > 0 ? node.Name : output;
        bool biasIsVector = bias is not null && _index.Constants.TryGetValue(bias, out var b) && b.Tensor.Dims.Count == 1;
        string product = bias is null ? output : _index.UniqueName(stem + "_product");
        if (_form == IntegerMatMulForm.Fused)
        {
            Opsets.EnsureImport(_index.Model, Opsets.MicrosoftDomain, 1);
            var inputs = new List<string> { x, w.Data, scale, w.ZeroPoint ?? string.Empty };
            if (biasIsVector) inputs.Add(bias!);
            string target = biasIsVector ? output : product;
            nodes.Add(OnnxBuilders.Node("DynamicQuantizeMatMul", _index.UniqueName(stem + "_DynamicQuantizeMatMul"), TrimEmpty(inputs), [target], OnnxBuilders.MicrosoftDomain));
            if (bias is not null && !biasIsVector) nodes.Add(OnnxBuilders.Node("Add", _index.UniqueName(stem + "_AddBias"), [product, bias], [output]));
            return;
        }

        var (xq, xs, xzp) = DynamicInput(graph, x, stem, nodes);
        var inputsI = new List<string> { xq, w.Data, xzp };
        if (w.ZeroPoint is not null) inputsI.Add(w.ZeroPoint);
        string integer = _index.UniqueName(stem + "_int32");
        nodes.Add(OnnxBuilders.Node("MatMulInteger", _index.UniqueName(stem + "_MatMulInteger"), inputsI, [integer]));
        Rescale(stem, integer, xs, scale, product, nodes);
        if (bias is not null) nodes.Add(OnnxBuilders.Node("Add", _index.UniqueName(stem + "_AddBias"), [product, bias], [output]));
    }

    private void ConvertConv(NodeProto node, GraphProto graph, ConstantTensor weight)
    {
        int rank = weight.Tensor.Dims.Count;
        long channels = weight.Tensor.Dims[0];
        var stored = Store(weight);
        string stem = node.Name.Length > 0 ? node.Name : node.Output[0];
        var nodes = new List<NodeProto>();
        var (xq, xs, xzp) = DynamicInput(graph, node.Input[0], stem, nodes);
        var inputs = new List<string> { xq, stored.Data, xzp };
        if (stored.ZeroPoint is not null) inputs.Add(stored.ZeroPoint);
        string integer = _index.UniqueName(stem + "_int32");
        var convInteger = OnnxBuilders.Node("ConvInteger", _index.UniqueName(stem + "_ConvInteger"), inputs, [integer]);
        foreach (var a in node.Attribute) convInteger.Attribute.Add(a.Clone());
        nodes.Add(convInteger);

        // Per-channel scales and the bias broadcast over [N, M, spatial...] as [1, M, 1, ...].
        long[] channelShape = new long[rank];
        Array.Fill(channelShape, 1L);
        channelShape[1] = channels;
        string scale = stored.Scale;
        if (stored.Weight.Axis is not null)
        {
            var t = OnnxBuilders.Floats(_index.UniqueName(weight.Name + "_scale_nchw"), channelShape, stored.Weight.Scales);
            ConstantRewriter.AddTensor(_index, graph, t, node);
            scale = t.Name;
        }

        bool hasBias = node.Input.Count > 2 && node.Input[2].Length > 0;
        string product = hasBias ? _index.UniqueName(stem + "_product") : node.Output[0];
        Rescale(stem, integer, xs, scale, product, nodes);
        if (hasBias)
        {
            var bias = _index.Constants[node.Input[2]];
            var t = OnnxBuilders.Floats(_index.UniqueName(bias.Name + "_nchw"), channelShape, bias.ReadFloats());
            ConstantRewriter.AddTensor(_index, graph, t, node);
            if (bias.Uses.Count == 1)
            {
                ConstantRewriter.Remove(bias);
                RemovedConstants.Add(bias.Name);
            }

            nodes.Add(OnnxBuilders.Node("Add", _index.UniqueName(stem + "_AddBias"), [product, t.Name], [node.Output[0]]));
        }

        ReplaceNode(graph, node, nodes);
    }

    /// <summary>Cast the int32 result to float and multiply by x_scale · w_scale.</summary>
    private void Rescale(string stem, string integer, string xScale, string wScale, string output, List<NodeProto> nodes)
    {
        string asFloat = _index.UniqueName(stem + "_float");
        string combined = _index.UniqueName(stem + "_scale");
        nodes.Add(OnnxBuilders.Node("Cast", _index.UniqueName(stem + "_Cast"), [integer], [asFloat]).With("to", (long)DataType.Float));
        nodes.Add(OnnxBuilders.Node("Mul", _index.UniqueName(stem + "_ScaleProduct"), [xScale, wScale], [combined]));
        nodes.Add(OnnxBuilders.Node("Mul", _index.UniqueName(stem + "_Rescale"), [asFloat, combined], [output]));
    }

    /// <summary>One <c>DynamicQuantizeLinear</c> per activation and graph, shared by every integer op reading it.</summary>
    private (string Q, string Scale, string ZeroPoint) DynamicInput(GraphProto graph, string x, string stem, List<NodeProto> nodes)
    {
        if (_dynamicInputs.TryGetValue((graph, x), out var existing)) return existing;
        var names = (_index.UniqueName(x + "_quantized"), _index.UniqueName(x + "_scale"), _index.UniqueName(x + "_zero_point"));
        nodes.Add(OnnxBuilders.Node("DynamicQuantizeLinear", _index.UniqueName(stem + "_DynamicQuantizeLinear"), [x], [names.Item1, names.Item2, names.Item3]));
        _dynamicInputs[(graph, x)] = names;
        return names;
    }

    private static void ReplaceNode(GraphProto graph, NodeProto node, List<NodeProto> nodes)
    {
        int at = graph.Node.IndexOf(node);
        graph.Node.RemoveAt(at);
        for (int i = 0; i < nodes.Count; i++) graph.Node.Insert(at + i, nodes[i]);
    }

    /// <summary>The weight as it will be stored: [K, N] (Gemm transB transposed first), per output channel/column; null if not finite.</summary>
    private QuantizedWeight? QuantizeFor(ConstantTensor weight)
    {
        float[] values = weight.ReadFloats();
        if (!WeightSelection.IsFinite(values)) return null;
        long[] dims = [.. weight.Tensor.Dims];
        var first = weight.Uses[0].Node;
        if (first.OpType == "Gemm" && first.GetInt("transB", 0) != 0)
        {
            values = Transpose2D(values, (int)dims[0], (int)dims[1]);
            dims = [dims[1], dims[0]];
        }

        if (first.OpType == "Conv")
        {
            // ConvInteger passes the weight to MLAS as the left operand: int8 there selects the s8 x u8 GEMM, which is
            // portable C++ on most CPUs (exact but slow); uint8 selects the vectorised u8 x u8 kernels, which widen both
            // operands and cannot overflow. So signed conv weights keep all 8 bits, stored shifted by 128
            // (docs/cpu-portability.md).
            return QuantizedWeight.Quantize(values, dims, _settings.PerChannel ? 0 : null, _signed, _symmetric).AsUnsignedOffset();
        }

        return QuantizedWeight.Quantize(values, dims, _settings.PerChannel ? 1 : null, _signed, _symmetric, _reduceRange);
    }

    private static List<string> TrimEmpty(List<string> inputs)
    {
        while (inputs.Count > 0 && inputs[^1].Length == 0) inputs.RemoveAt(inputs.Count - 1);
        return inputs;
    }

    private static float[] Transpose2D(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++) result[c * rows + r] = values[r * columns + c];
        }

        return result;
    }
}
