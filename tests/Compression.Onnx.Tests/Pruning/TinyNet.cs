using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Compression.Onnx.Tests.IO;
using Google.Protobuf;
using Onnx;

namespace Compression.Onnx.Tests.Pruning;

/// <summary>A tiny hand-built float network: named weights plus nodes, buildable at full or at reduced width.</summary>
internal sealed class TinyNet
{
    public Dictionary<string, (long[] Dims, float[] Values)> Weights { get; } = new(StringComparer.Ordinal);

    public List<NodeProto> Nodes { get; } = [];

    public List<ValueInfoProto> Inputs { get; } = [];

    public List<ValueInfoProto> Outputs { get; } = [];

    public Dictionary<string, (long[] Dims, long[] Values)> IntWeights { get; } = new(StringComparer.Ordinal);

    /// <summary>Weights stored as Constant nodes instead of initializers.</summary>
    public bool AsConstants { get; init; }

    public long Opset { get; init; } = 13;

    public static float[] Random(Random random, long count, float scale = 1f) =>
        Enumerable.Range(0, (int)count).Select(_ => (float)((random.NextDouble() * 2) - 1) * scale).ToArray();

    public string Add(Random random, string name, params long[] dims)
    {
        Weights[name] = (dims, Random(random, dims.Aggregate(1L, (a, b) => a * b), 0.5f));
        return name;
    }

    public string AddScalar(string name, float value)
    {
        Weights[name] = ([], [value]);
        return name;
    }

    public string AddPositive(Random random, string name, long size)
    {
        Weights[name] = ([size], Enumerable.Range(0, (int)size).Select(_ => (float)(0.5 + random.NextDouble())).ToArray());
        return name;
    }

    public NodeProto Node(string op, string[] inputs, string output, params (string Name, long Value)[] attributes)
    {
        NodeProto node = ModelFactory.Node(op, inputs, [output]);
        foreach ((string name, long value) in attributes)
        {
            node.Attribute.Add(new AttributeProto { Name = name, I = value, Type = AttributeProto.Types.AttributeType.Int });
        }

        Nodes.Add(node);
        return node;
    }

    public TinyNet Clone()
    {
        var copy = new TinyNet { AsConstants = AsConstants, Opset = Opset };
        foreach (var (k, v) in Weights)
        {
            copy.Weights[k] = ([.. v.Dims], [.. v.Values]);
        }

        foreach (var (k, v) in IntWeights)
        {
            copy.IntWeights[k] = ([.. v.Dims], [.. v.Values]);
        }

        copy.Nodes.AddRange(Nodes.Select(n => n.Clone()));
        copy.Inputs.AddRange(Inputs.Select(i => i.Clone()));
        copy.Outputs.AddRange(Outputs.Select(o => o.Clone()));
        return copy;
    }

    /// <summary>Keeps <paramref name="kept"/> along <paramref name="axis"/> of weight <paramref name="name"/>.</summary>
    public void Slice(string name, int axis, int[] kept)
    {
        (long[] dims, float[] values) = Weights[name];
        long outer = dims.Take(axis).Aggregate(1L, (a, b) => a * b);
        long inner = dims.Skip(axis + 1).Aggregate(1L, (a, b) => a * b);
        var result = new List<float>();
        for (long o = 0; o < outer; o++)
        {
            foreach (int k in kept)
            {
                result.AddRange(values.AsSpan((int)(((o * dims[axis]) + k) * inner), (int)inner).ToArray());
            }
        }

        long[] newDims = [.. dims];
        newDims[axis] = kept.Length;
        Weights[name] = (newDims, [.. result]);
    }

    public void SetAttribute(string nodeOutput, string attribute, long value) =>
        Nodes.First(n => n.Output[0] == nodeOutput).Attribute.First(a => a.Name == attribute).I = value;

    public ModelProto Build()
    {
        var graph = new GraphProto { Name = "tiny" };
        graph.Input.AddRange(Inputs);
        graph.Output.AddRange(Outputs);
        var constants = new List<NodeProto>();
        foreach (var (name, (dims, values)) in Weights)
        {
            TensorProto tensor = TensorData.CreateFloat(name, dims, values);
            if (AsConstants)
            {
                constants.Add(Compression.Onnx.Graph.NodeBuilder.Constant(tensor));
            }
            else
            {
                graph.Initializer.Add(tensor);
            }
        }

        foreach (var (name, (dims, values)) in IntWeights)
        {
            TensorProto tensor = TensorData.CreateInt64(name, dims, values);
            if (AsConstants)
            {
                constants.Add(Compression.Onnx.Graph.NodeBuilder.Constant(tensor));
            }
            else
            {
                graph.Initializer.Add(tensor);
            }
        }

        graph.Node.AddRange(constants);
        graph.Node.AddRange(Nodes.Select(n => n.Clone()));
        return ModelFactory.Model(graph, Opset);
    }

    public OnnxModel Load() => OnnxModel.FromProto(Build());

    public static string Save(ModelProto model, string directory, string name)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }
}
