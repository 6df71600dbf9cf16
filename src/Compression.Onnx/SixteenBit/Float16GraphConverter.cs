using Compression.Kernels;
using Compression.Onnx.Graph;
using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.SixteenBit;

/// <summary>
/// Rewrites a graph to compute in float16: float32 stored tensors become float16 (clamped to ±65504), <c>Cast</c>
/// to float becomes <c>Cast</c> to float16, float inputs and outputs keep their float32 type through boundary casts,
/// and every node of a blocked op type runs in float32 between casts.
/// </summary>
internal static class Float16GraphConverter
{
    /// <summary>Ops that must see float32 regardless of kernels: their float inputs are parameters with a fixed type.</summary>
    public static readonly IReadOnlySet<string> AlwaysBlocked = new HashSet<string>(StringComparer.Ordinal)
    {
        "Resize", "Upsample", "RoiAlign", "NonMaxSuppression", "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "EyeLike", "Range",
    };

    public static GraphProto Convert(GraphProto source, IReadOnlySet<string> blocked)
    {
        var graph = source.Clone();
        var types = ElementTypeInference.Infer(graph);
        var names = new HashSet<string>(types.Keys, StringComparer.Ordinal);
        foreach (var n in graph.Node) names.Add(n.Name);
        string Unique(string stem)
        {
            string name = stem;
            for (int i = 1; !names.Add(name); i++) name = stem + "_" + i;
            return name;
        }

        bool IsFloat(string name) => name.Length > 0 && types.TryGetValue(name, out var t) && t == DataType.Float;

        var halved = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Initializer.Count; i++)
        {
            if (graph.Initializer[i].DataType == (int)DataType.Float)
            {
                graph.Initializer[i] = ToHalf(graph.Initializer[i]);
                halved.Add(graph.Initializer[i].Name);
            }
        }

        // Before IR 4 initializers are also graph inputs: their declared type must follow (ONNX Runtime rejects the mismatch).
        foreach (var input in graph.Input)
        {
            if (halved.Contains(input.Name) && input.Type?.TensorType is { } declared) declared.ElemType = (int)DataType.Float16;
        }

        var result = new List<NodeProto>();

        // Float inputs enter through a Cast to float16; readers are renamed to the cast's output.
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in graph.Input)
        {
            if (!IsFloat(input.Name) || graph.Initializer.Any(t => t.Name == input.Name)) continue;
            string half = Unique(input.Name + "_fp16");
            result.Add(Cast(Unique(input.Name + "_ToFloat16"), input.Name, half, DataType.Float16));
            renamed[input.Name] = half;
        }

        // Float outputs leave through a Cast to float32 under their own name.
        var outputCasts = new List<NodeProto>();
        var outputNames = new HashSet<string>(graph.Output.Where(o => IsFloat(o.Name)).Select(o => o.Name), StringComparer.Ordinal);
        foreach (string output in outputNames)
        {
            if (renamed.ContainsKey(output)) continue;
            string half = Unique(output + "_fp16");
            renamed[output] = half;
            outputCasts.Add(Cast(Unique(output + "_ToFloat32"), half, output, DataType.Float));
        }

        foreach (var node in graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (renamed.TryGetValue(node.Input[i], out var r)) node.Input[i] = r;
            }

            for (int i = 0; i < node.Output.Count; i++)
            {
                if (outputNames.Contains(node.Output[i])) node.Output[i] = renamed[node.Output[i]];
            }

            if (!blocked.Contains(node.OpType) && !AlwaysBlocked.Contains(node.OpType))
            {
                ConvertAttributes(node);
                result.Add(node);
                continue;
            }

            // A blocked node computes in float32: cast its float16 inputs up and its float outputs back down.
            for (int i = 0; i < node.Input.Count; i++)
            {
                string original = Original(node.Input[i], renamed);
                if (!IsFloat(original)) continue;
                string up = Unique(node.Input[i] + "_fp32");
                result.Add(Cast(Unique(node.Name + "_in" + i + "_ToFloat32"), node.Input[i], up, DataType.Float));
                node.Input[i] = up;
            }

            var downs = new List<NodeProto>();
            for (int i = 0; i < node.Output.Count; i++)
            {
                string original = Original(node.Output[i], renamed);
                if (!IsFloat(original)) continue;
                string full = Unique(node.Output[i] + "_fp32");
                downs.Add(Cast(Unique(node.Name + "_out" + i + "_ToFloat16"), full, node.Output[i], DataType.Float16));
                node.Output[i] = full;
            }

            result.Add(node);
            result.AddRange(downs);
        }

        result.AddRange(outputCasts);
        graph.Node.Clear();
        graph.Node.AddRange(result);

        // Declared intermediate types are float32; ONNX Runtime infers the new ones.
        graph.ValueInfo.Clear();
        return graph;
    }

    private static string Original(string name, Dictionary<string, string> renamed)
    {
        foreach (var (from, to) in renamed)
        {
            if (to == name) return from;
        }

        return name;
    }

    private static void ConvertAttributes(NodeProto node)
    {
        foreach (var a in node.Attribute)
        {
            if (node.OpType == "Cast" && a.Name == "to" && a.I == (long)DataType.Float) a.I = (long)DataType.Float16;
            if (a.T is { DataType: (int)DataType.Float } t) a.T = ToHalf(t);
        }
    }

    private static TensorProto ToHalf(TensorProto tensor)
    {
        float[] values = TensorData.ReadFloats(tensor);
        var bits = new Half[values.Length];
        FloatConverter.ToHalfSaturating(values, bits);
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(bits.AsSpan()).ToArray();
        return TensorData.CreateFromRawBytes(tensor.Name, (int)DataType.Float16, [.. tensor.Dims], bytes);
    }

    private static NodeProto Cast(string name, string input, string output, DataType to) =>
        NodeBuilder.Node("Cast", name, [input], [output]).With("to", (long)to);
}
