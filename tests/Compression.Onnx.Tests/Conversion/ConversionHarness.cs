using Compression.Onnx.Conversion;
using Compression.Onnx.IO;
using Compression.Onnx.Tests.Pipeline;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tests.Conversion;

/// <summary>Builds one-node models, converts them, and runs original and converted in ONNX Runtime on the same inputs.</summary>
internal static class ConversionHarness
{
    /// <summary>A graph of one node with float inputs of fixed shapes and float outputs (shapes left to inference).</summary>
    public static ModelProto OneNode(int opset, NodeProto node, (string Name, long[] Shape)[] inputs, TensorProto[]? initializers = null, DataType outputType = DataType.Float)
    {
        var g = new GraphProto { Name = "g" };
        foreach (var (name, shape) in inputs) g.Input.Add(TinyModels.Value(name, DataType.Float, shape));
        foreach (string output in node.Output) g.Output.Add(new ValueInfoProto { Name = output, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)outputType } } });
        if (initializers is not null) g.Initializer.AddRange(initializers);
        g.Node.Add(node);
        return TinyModels.Model(g, opset, irVersion: opset < 9 ? 3 : 7);
    }

    /// <summary>Converts a copy of <paramref name="model"/> to <paramref name="target"/>.</summary>
    public static (ModelProto Converted, OpsetConversion Result) Convert(ModelProto model, int target)
    {
        ModelProto copy = model.Clone();
        using OnnxModel onnx = OnnxModel.FromProto(copy);
        OpsetConversion result = OpsetConverter.Convert(onnx, target);
        return (copy, result);
    }

    /// <summary>Converts and asserts that ONNX Runtime gives bit-identical outputs for both models on seeded inputs.</summary>
    public static ModelProto AssertSameOutputs(ModelProto model, int target, int seed = 1)
    {
        var (converted, _) = Convert(model, target);
        Assert.AreEqual(target, (int)converted.OpsetImport.Single(o => o.Domain.Length == 0).Version);
        float[][] before = Run(model, seed);
        float[][] after = Run(converted, seed);
        Assert.HasCount(before.Length, after);
        for (int i = 0; i < before.Length; i++) CollectionAssert.AreEqual(before[i], after[i], $"output {i} differs after conversion to opset {target}");
        return converted;
    }

    public static float[][] Run(ModelProto model, int seed)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(model.ToByteArray(), options);
        var inputs = new List<NamedOnnxValue>();
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet();
        foreach (ValueInfoProto input in model.Graph.Input.Where(i => !initializers.Contains(i.Name)))
        {
            int[] dims = input.Type.TensorType.Shape.Dim.Select(d => (int)d.DimValue).ToArray();
            float[] data = TinyModels.Seeded(dims.Aggregate(1, (a, b) => a * b), seed++, 3f);
            inputs.Add(NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<float>(data, dims)));
        }

        using var results = session.Run(inputs);
        return results.Select(r => r.ElementType == TensorElementType.Int64
            ? r.AsEnumerable<long>().Select(v => (float)v).ToArray()
            : r.AsEnumerable<float>().ToArray()).ToArray();
    }

    public static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes) => TinyModels.Node(op, op.ToLowerInvariant(), inputs, outputs, attributes);

    public static AttributeProto Str(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Floats(string name, params float[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        a.Floats.AddRange(values);
        return a;
    }

    public static TensorProto Int64s(string name, params long[] values) => Compression.Onnx.Tensors.TensorData.CreateInt64(name, [values.Length], values);
}
