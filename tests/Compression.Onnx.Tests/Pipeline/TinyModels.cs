using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tests.Pipeline;

/// <summary>Hand-built ONNX graphs for pass tests: small enough to reason about, real enough to run in ONNX Runtime.</summary>
internal static class TinyModels
{
    public static float[] Seeded(int count, int seed, float scale = 1f)
    {
        var r = new Random(seed);
        var a = new float[count];
        for (int i = 0; i < count; i++) a[i] = (float)(r.NextDouble() * 2 - 1) * scale;
        return a;
    }

    public static TensorProto Floats(string name, long[] dims, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
        t.Dims.AddRange(dims);
        return t;
    }

    public static ValueInfoProto Value(string name, DataType type, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims) shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    public static NodeProto Node(string op, string name, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = name };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attributes);
        return n;
    }

    public static AttributeProto Int(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };

    public static AttributeProto Float(string name, float v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };

    public static AttributeProto Ints(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }

    public static AttributeProto Tensor(TensorProto t) => new() { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = t };

    public static ModelProto Model(GraphProto graph, int opset, long irVersion = 8)
    {
        var m = new ModelProto { IrVersion = irVersion, Graph = graph, ProducerName = "tests" };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        return m;
    }

    /// <summary>y = x · W (+ b via Gemm when <paramref name="gemm"/>), x [N, k], W [k, n] initializer.</summary>
    public static ModelProto MatMul(int k, int n, int opset = 17, bool gemm = false, bool transB = false, float alpha = 1f, float beta = 1f, bool constantNode = false)
    {
        var g = new GraphProto { Name = "g" };
        g.Input.Add(Value("x", DataType.Float, -1, k));
        g.Output.Add(Value("y", DataType.Float, -1, n));
        var w = Floats("W", transB ? [n, k] : [k, n], Seeded(k * n, 1, 0.5f));
        if (constantNode) g.Node.Add(Node("Constant", "W_const", [], ["W"], Tensor(w)));
        else g.Initializer.Add(w);
        if (gemm)
        {
            g.Initializer.Add(Floats("b", [n], Seeded(n, 2)));
            g.Node.Add(Node("Gemm", "gemm", ["x", "W", "b"], ["y"], Int("transB", transB ? 1 : 0), Float("alpha", alpha), Float("beta", beta)));
        }
        else
        {
            g.Node.Add(Node("MatMul", "matmul", ["x", "W"], ["y"]));
        }

        return Model(g, opset);
    }

    /// <summary>Conv [m, c, 3, 3] with bias, then BatchNormalization, then Relu: x [N, c, 8, 8].</summary>
    public static ModelProto ConvBatchNorm(int c, int m, int opset = 17)
    {
        var g = new GraphProto { Name = "g" };
        g.Input.Add(Value("x", DataType.Float, -1, c, 8, 8));
        g.Output.Add(Value("y", DataType.Float, -1, m, 8, 8));
        g.Initializer.Add(Floats("W", [m, c, 3, 3], Seeded(m * c * 9, 3, 0.3f)));
        g.Initializer.Add(Floats("B", [m], Seeded(m, 4)));
        g.Initializer.Add(Floats("gamma", [m], Seeded(m, 5).Select(v => 1 + v * 0.5f).ToArray()));
        g.Initializer.Add(Floats("beta", [m], Seeded(m, 6)));
        g.Initializer.Add(Floats("mean", [m], Seeded(m, 7, 0.2f)));
        g.Initializer.Add(Floats("var", [m], Seeded(m, 8).Select(v => 0.01f + Math.Abs(v)).ToArray()));
        g.Node.Add(Node("Conv", "conv", ["x", "W", "B"], ["c"], Ints("pads", 1, 1, 1, 1), Ints("kernel_shape", 3, 3)));
        g.Node.Add(Node("BatchNormalization", "bn", ["c", "gamma", "beta", "mean", "var"], ["n"], Float("epsilon", 1e-5f)));
        g.Node.Add(Node("Relu", "relu", ["n"], ["y"]));
        return Model(g, opset);
    }

    public static string Save(ModelProto model, string directory, string name)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    /// <summary>Runs a single-input float model and returns its first output.</summary>
    public static float[] Run(string path, float[] x, long[] shape)
    {
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
        using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(x, shape);
        using var runOptions = new Microsoft.ML.OnnxRuntime.RunOptions();
        using var outputs = session.Run(runOptions, [session.InputNames[0]], [input], [session.OutputNames[0]]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
