using Google.Protobuf;
using Onnx;

namespace Compression.Tasks.Tests.Infrastructure;

/// <summary>Small ONNX models made for the tests: a two-layer MLP with deterministic weights.</summary>
internal static class TinyModels
{
    /// <summary>
    /// <c>y = Relu(x · W1) · W2</c>, x <c>[batch, width]</c> float, weights as graph initializers
    /// (2 · width² floats, so width 1024 is an 8 MB model), opset 13, IR 8.
    /// </summary>
    public static byte[] Mlp(int width, int seed = 7)
    {
        var random = new Random(seed);
        var graph = new GraphProto { Name = "mlp" };
        graph.Input.Add(Value("x", new TensorShapeProto.Types.Dimension { DimParam = "batch" }, new TensorShapeProto.Types.Dimension { DimValue = width }));
        graph.Output.Add(Value("y", new TensorShapeProto.Types.Dimension { DimParam = "batch" }, new TensorShapeProto.Types.Dimension { DimValue = width }));
        graph.Initializer.Add(Weight("w1", width, random));
        graph.Initializer.Add(Weight("w2", width, random));
        graph.Node.Add(Node("MatMul", "mm1", ["x", "w1"], ["h"]));
        graph.Node.Add(Node("Relu", "relu", ["h"], ["r"]));
        graph.Node.Add(Node("MatMul", "mm2", ["r", "w2"], ["y"]));
        var model = new ModelProto { IrVersion = 8, ProducerName = "Compression.Tasks.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        return model.ToByteArray();
    }

    /// <summary>
    /// <c>y = Range(0, 10, step)</c> with an int64 scalar input <c>step</c>: it only runs with a non-zero step,
    /// so inputs synthesised from the signature (integers are 0) are rejected by the model itself.
    /// </summary>
    public static byte[] RangeNeedingRealInputs()
    {
        var graph = new GraphProto { Name = "range" };
        graph.Input.Add(new ValueInfoProto
        {
            Name = "step",
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Int64, Shape = new TensorShapeProto() } },
        });
        graph.Output.Add(new ValueInfoProto
        {
            Name = "y",
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Int64 } },
        });
        graph.Initializer.Add(Scalar("start", 0));
        graph.Initializer.Add(Scalar("limit", 10));
        graph.Node.Add(Node("Range", "range", ["start", "limit", "step"], ["y"]));
        var model = new ModelProto { IrVersion = 8, ProducerName = "Compression.Tasks.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        return model.ToByteArray();
    }

    private static TensorProto Scalar(string name, long value)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Int64Data.Add(value);
        return tensor;
    }

    private static ValueInfoProto Value(string name, params TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static TensorProto Weight(string name, int width, Random random)
    {
        var values = new float[width * width];
        float scale = 1f / MathF.Sqrt(width);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ((float)random.NextDouble() * 2 - 1) * scale;
        }

        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(width);
        tensor.Dims.Add(width);
        byte[] raw = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        tensor.RawData = ByteString.CopyFrom(raw);
        return tensor;
    }

    private static NodeProto Node(string op, string name, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }
}
