using Compression.Kernels;
using Compression.Onnx.FourBit;
using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Benchmarks.FourBit;

/// <summary>Synthetic MatMul-only MLPs written once to a temp folder and reused by every benchmark process.</summary>
internal static class SyntheticMlpFiles
{
    public static string Folder { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "cmp-int4-bench")).FullName;

    /// <summary>An fp32 MLP of <paramref name="layers"/> square layers (Gaussian weights, a few 8x outlier input rows).</summary>
    public static string Float32(int width, int layers)
    {
        string path = Path.Combine(Folder, $"mlp-{width}x{layers}-fp32.onnx");
        if (!File.Exists(path))
        {
            var graph = new GraphProto { Name = "mlp" };
            graph.Input.Add(FloatValue("x", width));
            string current = "x";
            for (int layer = 0; layer < layers; layer++)
            {
                graph.Initializer.Add(TensorData.CreateFloat($"w{layer}", [width, width], Weight(width, layer)));
                string output = layer + 1 == layers ? "y" : $"h{layer}";
                graph.Node.Add(Node("MatMul", [current, $"w{layer}"], layer + 1 == layers ? output : output + "_pre", $"fc{layer}"));
                if (layer + 1 < layers)
                {
                    graph.Node.Add(Node("Relu", [output + "_pre"], output, $"relu{layer}"));
                }

                current = output;
            }

            graph.Output.Add(FloatValue("y", width));
            Save(graph, path);
        }

        return path;
    }

    /// <summary>The fp32 MLP with every layer as <c>com.microsoft DynamicQuantizeMatMul</c> (int8 weights, per-column symmetric scales).</summary>
    public static string Int8(int width, int layers)
    {
        string path = Path.Combine(Folder, $"mlp-{width}x{layers}-int8.onnx");
        if (!File.Exists(path))
        {
            using var model = OnnxModel.Load(Float32(width, layers));
            GraphProto graph = model.Proto.Graph;
            for (int layer = 0; layer < layers; layer++)
            {
                TensorProto w = graph.Initializer[layer];
                float[] values = TensorData.ReadFloats(w, model);
                var q = new sbyte[values.Length];
                var scales = new float[width];
                var zeroPoints = new int[width];
                AffineQuantizer.QuantizeTensorPerChannel(values, width, width, 1, true, false, scales, zeroPoints, q);
                graph.Initializer[layer] = TensorData.CreateInt8(w.Name, [width, width], q);
                graph.Initializer.Add(TensorData.CreateFloat(w.Name + "_scale", [width], scales));
                graph.Initializer.Add(TensorData.CreateInt8(w.Name + "_zp", [width], new sbyte[width]));
                NodeProto node = graph.Node.First(n => n.Input.Count > 1 && n.Input[1] == w.Name);
                node.OpType = "DynamicQuantizeMatMul";
                node.Domain = Opsets.MicrosoftDomain;
                node.Input.Add(w.Name + "_scale");
                node.Input.Add(w.Name + "_zp");
            }

            Opsets.EnsureImport(model.Proto, Opsets.MicrosoftDomain, 1);
            model.Save(path);
        }

        return path;
    }

    /// <summary>The fp32 MLP quantized by <see cref="FourBitQuantizer"/> (Int4, block 32, clip search) at an accuracy level.</summary>
    public static string Int4(int width, int layers, int accuracyLevel)
    {
        string path = Path.Combine(Folder, $"mlp-{width}x{layers}-int4-acc{accuracyLevel}.onnx");
        if (!File.Exists(path))
        {
            using var model = OnnxModel.Load(Float32(width, layers));
            new FourBitQuantizer(new FourBitOptions { AccuracyLevel = accuracyLevel }).Quantize(model);
            model.Save(path);
        }

        return path;
    }

    private static float[] Weight(int width, int seed)
    {
        var random = new Random(seed);
        var values = new float[width * width];
        float sigma = 1f / MathF.Sqrt(width);
        for (int i = 0; i < values.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble(), r = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = (float)(sigma * r * Math.Cos(2 * Math.PI * u2));
            values[i + 1] = (float)(sigma * r * Math.Sin(2 * Math.PI * u2));
        }

        for (int o = 0; o < width / 128; o++)
        {
            int row = random.Next(width);
            for (int c = 0; c < width; c++)
            {
                values[(row * width) + c] *= 8f;
            }
        }

        return values;
    }

    private static void Save(GraphProto graph, string path)
    {
        var proto = new ModelProto { IrVersion = 8, Graph = graph, ProducerName = "Compression.Benchmarks" };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        using var model = OnnxModel.FromProto(proto);
        model.Save(path);
    }

    private static ValueInfoProto FloatValue(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }

    private static NodeProto Node(string opType, string[] inputs, string output, string name)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

}
