using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Compression.Onnx.Tests.IO;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;

namespace Compression.Onnx.Tests.FourBit;

/// <summary>Tiny models and reference math for the 4-bit tests.</summary>
internal static class FourBitModels
{
    public static float[] Gaussian(int count, int seed, float sigma = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = (float)(sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return values;
    }

    /// <summary>Gaussian [K, N] weights with a few input rows (outlier channels) 8x larger, as in real transformer layers.</summary>
    public static float[] WeightWithOutliers(int k, int n, int seed, float sigma)
    {
        float[] w = Gaussian(k * n, seed, sigma);
        var random = new Random(seed + 1000);
        for (int o = 0; o < Math.Max(1, k / 128); o++)
        {
            int row = random.Next(k);
            for (int c = 0; c < n; c++)
            {
                w[(row * n) + c] *= 8f;
            }
        }

        return w;
    }

    /// <summary>y = x @ B with B [K, N] an initializer, x [M, K].</summary>
    public static ModelProto MatMul(float[] b, int k, int n, long opset = 17)
    {
        var graph = new GraphProto { Name = "matmul" };
        graph.Input.Add(ModelFactory.FloatValue("x", 0, k));
        graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam = "batch";
        graph.Output.Add(ModelFactory.FloatValue("y", 0, n));
        graph.Output[0].Type.TensorType.Shape.Dim[0].DimParam = "batch";
        graph.Initializer.Add(TensorData.CreateFloat("B", [k, n], b));
        graph.Node.Add(ModelFactory.Node("MatMul", ["x", "B"], ["y"], "mm"));
        return ModelFactory.Model(graph, opset);
    }

    /// <summary>A stack of MatMul + Relu layers (the last without Relu) with the given weights, widths[i] -> widths[i+1].</summary>
    public static ModelProto Mlp(int[] widths, Func<int, int, int, float[]> weight)
    {
        var graph = new GraphProto { Name = "mlp" };
        graph.Input.Add(ModelFactory.FloatValue("x", 0, widths[0]));
        graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam = "batch";
        string current = "x";
        for (int layer = 0; layer + 1 < widths.Length; layer++)
        {
            string name = $"w{layer}";
            graph.Initializer.Add(TensorData.CreateFloat(name, [widths[layer], widths[layer + 1]], weight(layer, widths[layer], widths[layer + 1])));
            string output = layer + 2 == widths.Length ? "y" : $"h{layer}";
            graph.Node.Add(ModelFactory.Node("MatMul", [current, name], [output + (layer + 2 == widths.Length ? string.Empty : "_pre")], $"fc{layer}"));
            if (layer + 2 < widths.Length)
            {
                graph.Node.Add(ModelFactory.Node("Relu", [output + "_pre"], [output], $"relu{layer}"));
            }

            current = output;
        }

        graph.Output.Add(ModelFactory.FloatValue("y", 0, widths[^1]));
        graph.Output[0].Type.TensorType.Shape.Dim[0].DimParam = "batch";
        return ModelFactory.Model(graph, 17);
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeType.Float, F = value };

    /// <summary>x [M, K] -> A @ W [K, N] in double, row-major.</summary>
    public static float[] Multiply(float[] a, int m, int k, float[] w, int n)
    {
        var y = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int t = 0; t < k; t++)
                {
                    sum += (double)a[(i * k) + t] * w[(t * n) + j];
                }

                y[(i * n) + j] = (float)sum;
            }
        }

        return y;
    }

    /// <summary>Saves <paramref name="model"/> and runs it in ONNX Runtime on one float input.</summary>
    public static float[] Run(ModelProto model, string folder, string name, float[] input, params int[] dims)
    {
        string path = Path.Combine(folder, name + ".onnx");
        using (var wrapper = OnnxModel.FromProto(model))
        {
            wrapper.Save(path);
        }

        return RunFile(path, "x", input, dims);
    }

    public static float[] RunFile(string path, string inputName, float[] input, params int[] dims)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<float>(input, dims))]);
        return results[0].AsEnumerable<float>().ToArray();
    }

    public static void AssertClose(float[] expected, float[] actual, float relative, string what)
    {
        Assert.HasCount(expected.Length, actual);
        float scale = expected.Max(Math.Abs) + 1e-6f;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.IsLessThanOrEqualTo(relative * scale, Math.Abs(expected[i] - actual[i]), $"{what}: element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
