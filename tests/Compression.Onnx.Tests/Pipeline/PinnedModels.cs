using Compression.Onnx.Tests.Calibration;
using Onnx;
using static Compression.Onnx.Tests.Pipeline.TinyModels;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tests.Pipeline;

/// <summary>
/// Small models whose compressed bytes <see cref="OutputBytesTests"/> pins, chosen so every rewrite of the engine runs:
/// an embedding Gather, MatMul and Gemm (transB, alpha, beta, constant and computed bias), Conv with BatchNormalization
/// at opset 17 and 21, and a model whose float arithmetic is exact, so its calibrated ranges are the same on every CPU.
/// </summary>
internal static class PinnedModels
{
    /// <summary>ids int64 [N] -> Gather(E [256, 64]) -> MatMul(W1 [64, 256]) -> Relu -> Gemm(W2 [32, 256], transB, alpha 0.5, beta 2, C [32])
    /// -> Add(computed) -> Gemm(W3 [32, 48], bias = a computed value) -> y [N, 48].</summary>
    public static ModelProto Transformerish(int opset = 17)
    {
        var g = new GraphProto { Name = "mlp" };
        g.Input.Add(Value("ids", DataType.Int64, -1));
        g.Output.Add(Value("y", DataType.Float, -1, 48));
        g.Initializer.Add(Floats("E", [256, 64], Seeded(256 * 64, 11, 0.8f)));
        g.Initializer.Add(Floats("W1", [64, 256], Seeded(64 * 256, 12, 0.2f)));
        g.Initializer.Add(Floats("W2", [32, 256], Seeded(32 * 256, 13, 0.1f)));
        g.Initializer.Add(Floats("C", [32], Seeded(32, 14)));
        g.Initializer.Add(Floats("W3", [32, 48], Seeded(32 * 48, 15, 0.3f)));
        g.Initializer.Add(Floats("D", [48], Seeded(48, 16)));
        g.Node.Add(Node("Gather", "embed", ["E", "ids"], ["h0"], Int("axis", 0)));
        g.Node.Add(Node("MatMul", "up", ["h0", "W1"], ["h1"]));
        g.Node.Add(Node("Relu", "act", ["h1"], ["h2"]));
        g.Node.Add(Node("Gemm", "down", ["h2", "W2", "C"], ["h3"], Int("transB", 1), Float("alpha", 0.5f), Float("beta", 2f)));
        g.Node.Add(Node("MatMul", "bias_source", ["h3", "W3"], ["bias"]));
        g.Node.Add(Node("Gemm", "head", ["h3", "W3", "bias"], ["h4"], Float("beta", 0.5f)));
        g.Node.Add(Node("Add", "shift", ["h4", "D"], ["y"]));
        return Model(g, opset);
    }

    /// <summary>
    /// x [1, 2, 4, 4] -> Conv(3x3, pads 1) -> Relu -> Conv(1x1) -> Add(with the Relu) -> Concat(with the Relu) -> GlobalAveragePool
    /// -> Flatten -> MatMul [8, 8]. Weights and inputs are small multiples of powers of two, so every sum ONNX Runtime forms
    /// is exact in float32 and the calibrated activation ranges do not depend on the CPU or the summation order.
    /// </summary>
    public static ModelProto ExactConvNet()
    {
        var g = new GraphProto { Name = "exact" };
        g.Input.Add(Value("x", DataType.Float, 1, 2, 4, 4));
        g.Output.Add(Value("y", DataType.Float, 1, 8));
        g.Initializer.Add(Floats("W1", [4, 2, 3, 3], Dyadic(4 * 2 * 9, 1, 4f)));
        g.Initializer.Add(Floats("B1", [4], Dyadic(4, 2, 4f)));
        g.Initializer.Add(Floats("W2", [4, 4, 1, 1], Dyadic(16, 3, 4f)));
        g.Initializer.Add(Floats("W3", [8, 8], Dyadic(64, 4, 4f)));
        g.Node.Add(Node("Conv", "conv1", ["x", "W1", "B1"], ["c1"], Ints("pads", 1, 1, 1, 1), Ints("kernel_shape", 3, 3)));
        g.Node.Add(Node("Relu", "relu1", ["c1"], ["r1"]));
        g.Node.Add(Node("Conv", "conv2", ["r1", "W2"], ["c2"], Ints("kernel_shape", 1, 1)));
        g.Node.Add(Node("Add", "add", ["c2", "r1"], ["a"]));
        g.Node.Add(Node("Concat", "concat", ["a", "r1"], ["cat"], Int("axis", 1)));
        g.Node.Add(Node("GlobalAveragePool", "pool", ["cat"], ["p"]));
        g.Node.Add(Node("Flatten", "flatten", ["p"], ["f"]));
        g.Node.Add(Node("MatMul", "head", ["f", "W3"], ["y"]));
        return Model(g, 13);
    }

    /// <summary>Calibration samples for <see cref="ExactConvNet"/>: values k/8 with k in [-8, 8].</summary>
    public static string ExactCalibration(string dir)
    {
        string folder = Path.Combine(dir, "calibration");
        for (int n = 0; n < 4; n++)
        {
            NpyFiles.Write(Path.Combine(folder, $"set_{n:D3}", "x.npy"), NpyFiles.Floats([1, 2, 4, 4], Dyadic(32, 100 + n, 8f)));
        }

        return folder;
    }

    /// <summary>Seeded integers in [-8, 8] divided by <paramref name="denominator"/> (a power of two).</summary>
    private static float[] Dyadic(int count, int seed, float denominator)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = random.Next(-8, 9) / denominator;
        return values;
    }
}
