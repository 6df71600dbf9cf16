using System.Runtime.InteropServices;
using Compression.Kernels;
using Compression.Onnx.Graph;
using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Static;

/// <summary>
/// Writes the QDQ form of a plan (<see cref="QdqPlacement"/>): every planned activation gets one QuantizeLinear→DequantizeLinear
/// pair (uint8, per tensor, the calibrated range) right after its producer, which keeps the value's name so every
/// reader and graph output stays wired; weights become int8 per output channel with a DequantizeLinear, 7-bit
/// ([-64, 64], ONNX Runtime's <c>reduce_range</c>) because MLAS's u8×s8 kernels on AVX2 without VNNI add pairs of
/// products into int16 with saturation (docs/cpu-portability.md); Conv biases become int32 with scale
/// <c>x_scale · w_scale[c]</c>, the form QLinearConv takes. Before opset 13 (no per-axis DequantizeLinear in the default
/// domain) and before opset 10 (no Q/DQ at all) the <c>com.microsoft</c> Q/DQ ops are written.
/// </summary>
internal sealed class QdqRewriter
{
    private readonly ModelGraph _model;
    private readonly GraphProto _graph;
    private readonly Dictionary<string, QuantizationParameters> _activations = new(StringComparer.Ordinal);

    public QdqRewriter(ModelGraph model)
    {
        _model = model;
        _graph = model.Main;
        if (model.Opset < 13) Opsets.EnsureImport(model.Proto, Opsets.MicrosoftDomain, 1);
    }

    /// <summary>Q/DQ domain: the default one when the opset has per-axis DequantizeLinear (13), else ONNX Runtime's contrib ops.</summary>
    private string Domain => _model.Opset >= 13 ? string.Empty : Opsets.MicrosoftDomain;

    public int ActivationCount => _activations.Count;

    public void Apply(IReadOnlyList<StaticNode> plan, IReadOnlyDictionary<string, (float Lo, float Hi)> ranges)
    {
        foreach (var node in plan)
        {
            if (node.Absorbed is { } activation)
            {
                node.Node.Output[0] = activation.Output[0];
                _graph.Node.Remove(activation);
            }
        }

        foreach (string name in plan.SelectMany(p => p.Activations.Append(p.Output)).Distinct(StringComparer.Ordinal))
        {
            var (lo, hi) = ranges[name];
            _activations[name] = QuantizationParameters.Compute(lo, hi, QuantizedType.UInt8, symmetric: false);
        }

        foreach (var node in plan)
        {
            if (node.Weight is { } weight) QuantizeWeight(node, weight);
        }

        foreach (var (name, parameters) in _activations.OrderBy(a => a.Key, StringComparer.Ordinal)) InsertPair(name, parameters);
    }

    private void QuantizeWeight(StaticNode node, Weight weight)
    {
        long[] dims = [.. weight.Dims];
        int axis = node.Node.OpType == "MatMul" ? 1 : 0;
        float[] values = weight.ReadFloats();
        int channels = (int)dims[axis], outer = 1;
        for (int i = 0; i < axis; i++) outer *= (int)dims[i];
        int inner = values.Length / (outer * channels);
        var scales = new float[channels];
        var zeros = new int[channels];
        var q = new sbyte[values.Length];
        AffineQuantizer.QuantizeTensorPerChannel(values, outer, channels, inner, symmetric: true, reduceRange: true, scales, zeros, q);

        string stem = weight.Name;
        var data = TensorData.CreateFromRawBytes(_model.UniqueName(stem + "_quantized"), (int)DataType.Int8, dims, MemoryMarshal.AsBytes(q.AsSpan()).ToArray());
        var scale = TensorData.CreateFloat(_model.UniqueName(stem + "_scale"), [channels], scales);
        var zero = TensorData.CreateFromRawBytes(_model.UniqueName(stem + "_zero_point"), (int)DataType.Int8, [channels], new byte[channels]);
        var dq = NodeBuilder.Node("DequantizeLinear", _model.UniqueName(stem + "_DequantizeLinear"), [data.Name, scale.Name, zero.Name], [weight.Name], Domain).With("axis", axis);
        _model.ReplaceWeight(weight, [data, scale, zero], [dq]);

        if (node.Bias is { } bias)
        {
            float inputScale = _activations[node.Activations[0]].Scale;
            float[] b = bias.ReadFloats();
            var biasScales = new float[b.Length];
            var quantized = new int[b.Length];
            for (int c = 0; c < b.Length; c++)
            {
                biasScales[c] = inputScale * scales[c];
                double v = Math.Round(b[c] / (double)biasScales[c], MidpointRounding.ToEven);
                quantized[c] = (int)Math.Clamp(v, int.MinValue + 1, int.MaxValue);
            }

            var biasData = TensorData.CreateFromRawBytes(_model.UniqueName(bias.Name + "_quantized"), (int)DataType.Int32, [b.Length], MemoryMarshal.AsBytes(quantized.AsSpan()).ToArray());
            var biasScale = TensorData.CreateFloat(_model.UniqueName(bias.Name + "_scale"), [b.Length], biasScales);
            var biasZero = TensorData.CreateFromRawBytes(_model.UniqueName(bias.Name + "_zero_point"), (int)DataType.Int32, [b.Length], new byte[4 * b.Length]);
            var biasDq = NodeBuilder.Node("DequantizeLinear", _model.UniqueName(bias.Name + "_DequantizeLinear"), [biasData.Name, biasScale.Name, biasZero.Name], [bias.Name], Domain).With("axis", 0);
            _model.ReplaceWeight(bias, [biasData, biasScale, biasZero], [biasDq]);
        }
    }

    /// <summary>Renames the producer's output to <c>name_float</c> and rebuilds <paramref name="name"/> as DQ(Q(name_float)).</summary>
    private void InsertPair(string name, QuantizationParameters p)
    {
        var producer = _graph.Node.FirstOrDefault(n => n.Output.Contains(name));
        string source = name;
        string target = name;
        if (producer is not null)
        {
            source = _model.UniqueName(name + "_float");
            producer.Output[producer.Output.IndexOf(name)] = source;
        }
        else
        {
            // A graph input keeps its name; its readers move to the dequantized copy.
            target = _model.UniqueName(name + "_dequantized");
            foreach (var reader in _graph.Node)
            {
                for (int i = 0; i < reader.Input.Count; i++) if (reader.Input[i] == name) reader.Input[i] = target;
            }
        }

        var scale = TensorData.CreateFloat(_model.UniqueName(name + "_scale"), [], [p.Scale]);
        var zero = TensorData.CreateFromRawBytes(_model.UniqueName(name + "_zero_point"), (int)DataType.Uint8, [], [(byte)p.ZeroPoint]);
        _graph.Initializer.Add(scale);
        _graph.Initializer.Add(zero);
        string quantized = _model.UniqueName(name + "_quantized");
        var q = NodeBuilder.Node("QuantizeLinear", _model.UniqueName(name + "_QuantizeLinear"), [source, scale.Name, zero.Name], [quantized], Domain);
        var dq = NodeBuilder.Node("DequantizeLinear", _model.UniqueName(name + "_DequantizeLinear"), [quantized, scale.Name, zero.Name], [target], Domain);
        GraphEditing.InsertNodes(_graph, [q, dq], _model.FilePath);
    }
}
