using Compression.Onnx.Tensors;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Benchmarks.Quantization;

/// <summary>Synthetic models for the quantization benchmarks, written once to the temp folder and reused.</summary>
internal static class SyntheticModels
{
    public static string Folder { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "compression-benchmarks")).FullName;

    /// <summary>An MLP of <paramref name="layers"/> MatMul(width x width) + Relu layers with seeded weights (fp32).</summary>
    public static string Mlp(int layers, int width)
    {
        string path = Path.Combine(Folder, $"mlp_{layers}x{width}.onnx");
        if (File.Exists(path)) return path;
        var g = new GraphProto { Name = "mlp" };
        g.Input.Add(Value("x", -1, width));
        string current = "x";
        var random = new Random(42);
        float bound = MathF.Sqrt(6f / width);
        for (int l = 0; l < layers; l++)
        {
            var w = new float[width * width];
            for (int i = 0; i < w.Length; i++) w[i] = (float)(random.NextDouble() * 2 - 1) * bound;
            g.Initializer.Add(TensorData.CreateFloat($"w{l}", [width, width], w));
            string mm = $"mm{l}", act = $"h{l}";
            g.Node.Add(Node("MatMul", [current, $"w{l}"], [mm]));
            g.Node.Add(Node("Relu", [mm], [act]));
            current = act;
        }

        g.Node.Add(Node("Identity", [current], ["y"]));
        g.Output.Add(Value("y", -1, width));
        Write(g, path);
        return path;
    }

    /// <summary>A transformer-like block: x·Wq, x·Wk -> Softmax(q kᵀ) v -> MatMul Wo -> Add -> LayerNormalization -> MLP 4x.</summary>
    public static string TransformerBlock(int width)
    {
        string path = Path.Combine(Folder, $"block_{width}.onnx");
        if (File.Exists(path)) return path;
        var g = new GraphProto { Name = "block" };
        g.Input.Add(Value("x", -1, width));
        var random = new Random(7);
        void Weight(string name, int rows, int cols)
        {
            var w = new float[rows * cols];
            float bound = MathF.Sqrt(6f / rows);
            for (int i = 0; i < w.Length; i++) w[i] = (float)(random.NextDouble() * 2 - 1) * bound;
            g.Initializer.Add(TensorData.CreateFloat(name, [rows, cols], w));
        }

        foreach (string n in new[] { "wq", "wk", "wv", "wo" }) Weight(n, width, width);
        Weight("w1", width, 4 * width);
        Weight("w2", 4 * width, width);
        g.Initializer.Add(TensorData.CreateFloat("gamma", [width], Enumerable.Repeat(1f, width).ToArray()));
        g.Initializer.Add(TensorData.CreateFloat("beta", [width], new float[width]));
        g.Node.Add(Node("MatMul", ["x", "wq"], ["q"]));
        g.Node.Add(Node("MatMul", ["x", "wk"], ["k"]));
        g.Node.Add(Node("MatMul", ["x", "wv"], ["v"]));
        g.Node.Add(Node("Transpose", ["k"], ["kt"]));
        g.Node.Add(Node("MatMul", ["q", "kt"], ["scores"]));
        g.Node.Add(Node("Softmax", ["scores"], ["attn"]));
        g.Node.Add(Node("MatMul", ["attn", "v"], ["ctx"]));
        g.Node.Add(Node("MatMul", ["ctx", "wo"], ["o"]));
        g.Node.Add(Node("Add", ["o", "x"], ["r"]));
        var ln = Node("LayerNormalization", ["r", "gamma", "beta"], ["n"]);
        g.Node.Add(ln);
        g.Node.Add(Node("MatMul", ["n", "w1"], ["f1"]));
        g.Node.Add(Node("Relu", ["f1"], ["f2"]));
        g.Node.Add(Node("MatMul", ["f2", "w2"], ["f3"]));
        g.Node.Add(Node("Add", ["f3", "n"], ["y"]));
        g.Output.Add(Value("y", -1, width));
        Write(g, path);
        return path;
    }

    /// <summary>
    /// One 512 x 512 MatMul whose weights sit at ±max of their column (random signs, per-column maximum): with large
    /// positive inputs, the pairs of u8 x s8 products reach their largest magnitude (docs/cpu-portability.md).
    /// </summary>
    public static string WorstCaseMatMul(int width)
    {
        string path = Path.Combine(Folder, $"worst_case_{width}.onnx");
        if (File.Exists(path)) return path;
        var g = new GraphProto { Name = "worst_case" };
        g.Input.Add(Value("x", -1, width));
        var random = new Random(7);
        var w = new float[width * width];
        for (int i = 0; i < w.Length; i++) w[i] = (0.5f + i % width % 7 * 0.25f) * (random.Next(2) == 0 ? 1 : -1);
        g.Initializer.Add(TensorData.CreateFloat("w", [width, width], w));
        g.Node.Add(Node("MatMul", ["x", "w"], ["y"]));
        g.Output.Add(Value("y", -1, width));
        Write(g, path);
        return path;
    }

    private static void Write(GraphProto g, string path)
    {
        var m = new ModelProto { IrVersion = 8, Graph = g, ProducerName = "Compression.Benchmarks" };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        string temp = path + ".tmp";
        using (var stream = File.Create(temp)) m.WriteTo(stream);
        File.Move(temp, path, overwrite: true);
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs)
    {
        var n = new NodeProto { OpType = op, Name = outputs[0] + "_" + op };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        return n;
    }

    private static ValueInfoProto Value(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims) shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "batch" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = shape } } };
    }
}
