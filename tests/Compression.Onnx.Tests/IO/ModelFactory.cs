using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.Tests.IO;

/// <summary>Tiny hand-built models for tests.</summary>
internal static class ModelFactory
{
    public static ValueInfoProto FloatValue(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    public static NodeProto Node(string opType, string[] inputs, string[] outputs, string? name = null)
    {
        var node = new NodeProto { OpType = opType, Name = name ?? outputs[0] + "_node" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    public static ModelProto Model(GraphProto graph, long opset = 17)
    {
        var model = new ModelProto { IrVersion = 8, Graph = graph, ProducerName = "tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    /// <summary>y = (x + a) * b with float initializers a and b of <paramref name="size"/> elements.</summary>
    public static ModelProto AddMul(int size, int seed = 1)
    {
        var random = new Random(seed);
        float[] a = Enumerable.Range(0, size).Select(_ => (float)random.NextDouble()).ToArray();
        float[] b = Enumerable.Range(0, size).Select(_ => (float)random.NextDouble()).ToArray();
        var graph = new GraphProto { Name = "add_mul" };
        graph.Input.Add(FloatValue("x", size));
        graph.Output.Add(FloatValue("y", size));
        graph.Initializer.Add(TensorData.CreateFloat("a", [size], a));
        graph.Initializer.Add(TensorData.CreateFloat("b", [size], b));
        graph.Node.Add(Node("Add", ["x", "a"], ["t"]));
        graph.Node.Add(Node("Mul", ["t", "b"], ["y"]));
        return Model(graph);
    }
}
