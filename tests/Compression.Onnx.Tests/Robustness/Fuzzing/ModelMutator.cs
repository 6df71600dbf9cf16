using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tests.Robustness.Fuzzing;

/// <summary>
/// Structure-aware mutations of an ONNX model: each one changes one thing a damaged export or a crafted file could
/// (a dim, a type, the data length, a node's inputs, op type or attributes, the opset), so most mutants still parse
/// and reach the passes instead of dying in the protobuf reader. Deterministic for a seed.
/// </summary>
internal sealed class ModelMutator(int seed)
{
    private static readonly string[] OpTypes =
    [
        "MatMul", "Gemm", "Conv", "ConvTranspose", "BatchNormalization", "Add", "Mul", "Relu", "Identity", "Reshape",
        "Transpose", "Gather", "Constant", "Cast", "Slice", "Concat", "Squeeze", "Unsqueeze", "LSTM", "If", "Flatten",
    ];

    private static readonly long[] Dims = [0, 1, 2, 3, 7, 16, 255, 256, 4096, -1, -(1L << 40), int.MaxValue, 1L << 31, 1L << 32, long.MaxValue];

    private static readonly int[] Types = [.. Enum.GetValues<DataType>().Select(t => (int)t), 99, -1];

    private readonly Random _random = new(seed);

    /// <summary>A mutated copy of <paramref name="model"/> with 1 to 3 mutations.</summary>
    public ModelProto Mutate(ModelProto model)
    {
        ModelProto mutant = model.Clone();
        int count = 1 + _random.Next(3);
        for (int i = 0; i < count; i++) MutateOnce(mutant);
        return mutant;
    }

    /// <summary>A byte-level mutant of the serialized model (flips, truncation, splices) for the reader.</summary>
    public byte[] MutateBytes(byte[] bytes)
    {
        byte[] copy = (byte[])bytes.Clone();
        switch (_random.Next(4))
        {
            case 0:
                for (int i = 0, n = 1 + _random.Next(8); i < n && copy.Length > 0; i++) copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
                return copy;
            case 1:
                return copy[..(copy.Length == 0 ? 0 : _random.Next(copy.Length))];
            case 2:
                if (copy.Length > 0) copy[_random.Next(copy.Length)] = (byte)_random.Next(256);
                return copy;
            default:
                int at = copy.Length == 0 ? 0 : _random.Next(copy.Length);
                int length = Math.Min(copy.Length - at, 1 + _random.Next(64));
                byte[] spliced = new byte[copy.Length + length];
                copy.AsSpan(0, at + length).CopyTo(spliced);
                copy.AsSpan(at).CopyTo(spliced.AsSpan(at + length));
                return spliced;
        }
    }

    private void MutateOnce(ModelProto model)
    {
        GraphProto graph = model.Graph;
        List<TensorProto> tensors = [.. graph.Initializer, .. graph.Node.SelectMany(n => n.Attribute).Where(a => a.T is not null).Select(a => a.T)];
        switch (_random.Next(14))
        {
            case 0 when tensors.Count > 0:
                MutateDims(Pick(tensors));
                break;
            case 1 when tensors.Count > 0:
                Pick(tensors).DataType = Pick(Types);
                break;
            case 2 when tensors.Count > 0:
                MutateData(Pick(tensors));
                break;
            case 3 when graph.Node.Count > 0:
                graph.Node.RemoveAt(_random.Next(graph.Node.Count));
                break;
            case 4 when graph.Node.Count > 0:
                graph.Node.Insert(_random.Next(graph.Node.Count + 1), Pick(graph.Node).Clone());
                break;
            case 5 when graph.Node.Count > 0:
                MutateInputs(graph, Pick(graph.Node));
                break;
            case 6 when graph.Node.Count > 0:
                Pick(graph.Node).OpType = Pick(OpTypes);
                break;
            case 7 when graph.Node.Count > 0:
                MutateAttribute(Pick(graph.Node));
                break;
            case 8 when model.OpsetImport.Count > 0:
                model.OpsetImport[0].Version = Pick<long>([1, 6, 7, 9, 10, 11, 12, 13, 17, 21, 22, 10000, -3]);
                break;
            case 9 when graph.Initializer.Count > 0:
                graph.Initializer.RemoveAt(_random.Next(graph.Initializer.Count));
                break;
            case 10 when graph.Node.Count > 1:
                int a = _random.Next(graph.Node.Count), b = _random.Next(graph.Node.Count);
                (graph.Node[a], graph.Node[b]) = (graph.Node[b], graph.Node[a]);
                break;
            case 11 when graph.Input.Count > 0:
                MutateValueInfo(Pick(graph.Input));
                break;
            case 12 when graph.Output.Count > 0:
                if (_random.Next(2) == 0) graph.Output.RemoveAt(_random.Next(graph.Output.Count));
                else MutateValueInfo(Pick(graph.Output));
                break;
            default:
                model.IrVersion = Pick<long>([1, 3, 4, 7, 8, 10, 11]);
                break;
        }
    }

    private void MutateDims(TensorProto tensor)
    {
        switch (_random.Next(3))
        {
            case 0 when tensor.Dims.Count > 0:
                tensor.Dims[_random.Next(tensor.Dims.Count)] = Pick(Dims);
                break;
            case 1:
                tensor.Dims.Add(Pick(Dims));
                break;
            default:
                if (tensor.Dims.Count > 0) tensor.Dims.RemoveAt(_random.Next(tensor.Dims.Count));
                break;
        }
    }

    private void MutateData(TensorProto tensor)
    {
        switch (_random.Next(4))
        {
            case 0 when tensor.RawData.Length > 0:
                tensor.RawData = ByteString.CopyFrom(tensor.RawData.Span[.._random.Next(tensor.RawData.Length)]);
                break;
            case 1:
                // Special float values in place: NaN, infinities, denormals, huge.
                float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e-45f, 3e38f, -0f];
                byte[] raw = tensor.RawData.ToByteArray();
                for (int i = 0; i + 4 <= raw.Length && i < 64; i += 4) BitConverter.TryWriteBytes(raw.AsSpan(i), Pick(special));
                tensor.RawData = ByteString.CopyFrom(raw);
                break;
            case 2:
                tensor.ClearRawData();
                for (int i = 0, n = _random.Next(32); i < n; i++) tensor.FloatData.Add((float)_random.NextDouble());
                break;
            default:
                tensor.Int64Data.Add(Pick(Dims));
                break;
        }
    }

    private void MutateInputs(GraphProto graph, NodeProto node)
    {
        List<string> names = [.. graph.Input.Select(i => i.Name), .. graph.Initializer.Select(t => t.Name), .. graph.Node.SelectMany(n => n.Output), string.Empty, "missing"];
        switch (_random.Next(3))
        {
            case 0 when node.Input.Count > 0:
                node.Input[_random.Next(node.Input.Count)] = Pick(names);
                break;
            case 1:
                node.Input.Add(Pick(names));
                break;
            default:
                if (node.Input.Count > 0) node.Input.RemoveAt(_random.Next(node.Input.Count));
                else if (node.Output.Count > 0) node.Output[0] = Pick(names);
                break;
        }
    }

    private void MutateAttribute(NodeProto node)
    {
        var attribute = new AttributeProto { Name = Pick(["group", "transB", "transA", "axis", "kernel_shape", "strides", "pads", "epsilon", "value", "spatial", "to", "alpha", "dilations"]) };
        switch (_random.Next(4))
        {
            case 0:
                attribute.Type = AttributeProto.Types.AttributeType.Int;
                attribute.I = Pick(Dims);
                break;
            case 1:
                attribute.Type = AttributeProto.Types.AttributeType.Ints;
                for (int i = 0, n = _random.Next(5); i < n; i++) attribute.Ints.Add(Pick(Dims));
                break;
            case 2:
                attribute.Type = AttributeProto.Types.AttributeType.Float;
                attribute.F = Pick([0f, -1f, float.NaN, 1e30f, 1e-5f]);
                break;
            default:
                if (node.Attribute.Count > 0) node.Attribute.RemoveAt(_random.Next(node.Attribute.Count));
                return;
        }

        for (int i = node.Attribute.Count - 1; i >= 0; i--)
        {
            if (node.Attribute[i].Name == attribute.Name) node.Attribute.RemoveAt(i);
        }

        node.Attribute.Add(attribute);
    }

    private void MutateValueInfo(ValueInfoProto value)
    {
        if (value.Type?.TensorType is not { } tensor) return;
        if (_random.Next(2) == 0) tensor.ElemType = Pick(Types);
        else if (tensor.Shape is { Dim.Count: > 0 } shape) shape.Dim[_random.Next(shape.Dim.Count)].DimValue = Pick(Dims);
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
