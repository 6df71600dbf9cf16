using Google.Protobuf;
using Onnx;

namespace Compression.Benchmarks.Tasks;

/// <summary>A two-layer MLP (<c>y = Relu(x·W1)·W2</c>, width² float weights each) with fixed weights, as a model to compress.</summary>
internal static class OnnxMlp
{
    public static byte[] Create(int width)
    {
        var random = new Random(3);
        var graph = new GraphProto { Name = "mlp" };
        graph.Input.Add(Value("x", width));
        graph.Output.Add(Value("y", width));
        graph.Initializer.Add(Weight("w1", width, random));
        graph.Initializer.Add(Weight("w2", width, random));
        graph.Node.Add(Node("MatMul", ["x", "w1"], "h"));
        graph.Node.Add(Node("Relu", ["h"], "r"));
        graph.Node.Add(Node("MatMul", ["r", "w2"], "y"));
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
        return model.ToByteArray();
    }

    private static ValueInfoProto Value(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static TensorProto Weight(string name, int width, Random random)
    {
        byte[] raw = new byte[width * width * sizeof(float)];
        Span<float> values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw.AsSpan());
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ((float)random.NextDouble() * 2 - 1) / MathF.Sqrt(width);
        }

        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.Add(width);
        tensor.Dims.Add(width);
        return tensor;
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
