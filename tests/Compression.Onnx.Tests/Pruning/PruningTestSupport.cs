using Compression.Onnx.IO;
using Compression.Onnx.Tests.IO;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Onnx.Tests.Pruning;

/// <summary>Runs models in ONNX Runtime and computes the channels a test expects to survive.</summary>
internal static class PruningTestSupport
{
    public static float[][] Run(OnnxModel model, params NamedOnnxValue[] inputs) => Run(model.Proto, inputs);

    public static float[][] Run(global::Onnx.ModelProto model, params NamedOnnxValue[] inputs)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model.ToByteArray(), options);
        using var results = session.Run(inputs);
        return results.Select(r => r.AsEnumerable<float>().ToArray()).ToArray();
    }

    public static NamedOnnxValue Input(string name, int seed, params int[] dims) =>
        OnnxRunner.Float(name, TinyNet.Random(new Random(seed), dims.Aggregate(1, (a, b) => a * b)), dims);

    /// <summary>L2 norm of each slice along <paramref name="axis"/>.</summary>
    public static double[] Norms((long[] Dims, float[] Values) weight, int axis)
    {
        (long[] dims, float[] values) = weight;
        long outer = dims.Take(axis).Aggregate(1L, (a, b) => a * b);
        long inner = dims.Skip(axis + 1).Aggregate(1L, (a, b) => a * b);
        var sums = new double[dims[axis]];
        for (long o = 0; o < outer; o++)
        {
            for (int c = 0; c < dims[axis]; c++)
            {
                for (long i = 0; i < inner; i++)
                {
                    double v = values[(((o * dims[axis]) + c) * inner) + i];
                    sums[c] += v * v;
                }
            }
        }

        return sums.Select(Math.Sqrt).ToArray();
    }

    /// <summary>Scales norms by a following BatchNormalization's |gamma| / sqrt(var + eps).</summary>
    public static double[] WithBatchNorm(double[] norms, TinyNet net, string gamma, string variance, double epsilon = 1e-5) =>
        norms.Select((n, c) => n * Math.Abs(net.Weights[gamma].Values[c]) / Math.Sqrt(net.Weights[variance].Values[c] + epsilon)).ToArray();

    /// <summary>The channels kept when <paramref name="remove"/> of the lowest summed, mean-normalized scores go.</summary>
    public static int[] Kept(int remove, params double[][] scores)
    {
        var total = new double[scores[0].Length];
        foreach (double[] s in scores)
        {
            double mean = s.Average();
            for (int c = 0; c < total.Length; c++)
            {
                total[c] += s[c] / mean;
            }
        }

        var removed = Enumerable.Range(0, total.Length).OrderBy(c => total[c]).ThenBy(c => c).Take(remove).ToHashSet();
        return Enumerable.Range(0, total.Length).Where(c => !removed.Contains(c)).ToArray();
    }

    public static void AssertExactlyEqual(float[][] expected, float[][] actual)
    {
        Assert.HasCount(expected.Length, actual);
        for (int o = 0; o < expected.Length; o++)
        {
            CollectionAssert.AreEqual(expected[o], actual[o], $"output {o} differs");
        }
    }

    public static void AddBatchNorm(TinyNet net, Random random, string prefix, long channels, string input, string output)
    {
        net.AddPositive(random, prefix + "_gamma", channels);
        net.Add(random, prefix + "_beta", channels);
        net.Add(random, prefix + "_mean", channels);
        net.AddPositive(random, prefix + "_var", channels);
        net.Node("BatchNormalization", [input, prefix + "_gamma", prefix + "_beta", prefix + "_mean", prefix + "_var"], output);
    }

    public static void SliceBatchNorm(TinyNet net, string prefix, int[] kept)
    {
        foreach (string suffix in new[] { "_gamma", "_beta", "_mean", "_var" })
        {
            net.Slice(prefix + suffix, 0, kept);
        }
    }
}
