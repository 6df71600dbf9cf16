using Onnx;
using static Compression.Onnx.Tests.Pipeline.TinyModels;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tests.Robustness;

/// <summary>
/// Tiny graphs with the structures of PaddleOCR's v4 DBNet detector as paddle2onnx writes it (opset 11, weights in
/// Constant nodes, Conv without bias followed by BatchNormalization, depthwise convs, hard-swish as HardSigmoid·x,
/// ConvTranspose in the head, an Add of a 4-D constant, a weight shared through Identity, one Constant feeding two
/// BatchNormalizations). Input x [1, 3, 32, 32], output y [1, 16, 32, 32].
/// </summary>
internal static class DbNetLikeModels
{
    public static readonly long[] InputShape = [1, 3, 32, 32];

    /// <summary>The whole detector-like chain; <paramref name="wide"/> channels in the pointwise conv (256+ gives a folded bias the 8-bit passes consider a weight).</summary>
    public static ModelProto Detector(bool constantNodes, int wide = 288, long irVersion = 6)
    {
        var b = new Builder(constantNodes);
        b.Graph.Input.Add(Value("x", DataType.Float, InputShape));
        b.Graph.Output.Add(Value("y", DataType.Float, 1, 16, 32, 32));

        // Stem: Conv stride 2 without bias, BN, hard-swish.
        b.Conv("stem", "x", b.Weight("stem_w", [16, 3, 3, 3], 1, 0.3f), bias: null, "stem_c", Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1), Ints("kernel_shape", 3, 3));
        b.BatchNorm("stem_bn", "stem_c", 16, "stem_n", sharedVar: "shared_var16");
        b.HardSwish("stem_hs", "stem_n", "stem_y");

        // Depthwise 3x3 (group = channels, 144 elements: below the 8-bit minimum, stays float) + BN (same var Constant) + Relu.
        b.Conv("dw", "stem_y", b.Weight("dw_w", [16, 1, 3, 3], 2, 0.5f), bias: null, "dw_c", Int("group", 16), Ints("pads", 1, 1, 1, 1), Ints("kernel_shape", 3, 3));
        b.BatchNorm("dw_bn", "dw_c", 16, "dw_n", sharedVar: "shared_var16");
        b.Graph.Node.Add(Node("Relu", "dw_relu", ["dw_n"], ["dw_y"]));

        // Pointwise expansion without bias + BN: folding gives it a bias of `wide` floats.
        b.Conv("pw", "dw_y", b.Weight("pw_w", [wide, 16, 1, 1], 3, 0.25f), bias: null, "pw_c", Ints("kernel_shape", 1, 1));
        b.BatchNorm("pw_bn", "pw_c", wide, "pw_n", sharedVar: null);
        b.Graph.Node.Add(Node("Relu", "pw_relu", ["pw_n"], ["pw_y"]));

        // Head: ConvTranspose 2x up with bias, then + a 4-D constant.
        string up = b.Weight("up_w", [wide, 16, 2, 2], 4, 0.1f);
        string upBias = b.Weight("up_b", [16], 5, 0.1f);
        b.Graph.Node.Add(Node("ConvTranspose", "up", ["pw_y", up, upBias], ["up_c"], Ints("strides", 2, 2), Ints("kernel_shape", 2, 2)));
        b.Graph.Node.Add(Node("Add", "up_add", ["up_c", b.Weight("offset", [1, 16, 1, 1], 6, 0.2f)], ["up_y"]));

        // One weight read directly and through Identity by two convs.
        string shared = b.Weight("shared_w", [16, 16, 1, 1], 7, 0.3f);
        b.Graph.Node.Add(Node("Identity", "shared_id", [shared], ["shared_w_id"]));
        b.Conv("branch_a", "up_y", shared, bias: b.Weight("branch_a_b", [16], 8, 0.1f), "a_c", Ints("kernel_shape", 1, 1));
        b.Conv("branch_b", "up_y", "shared_w_id", bias: null, "b_c", Ints("kernel_shape", 1, 1));
        b.Graph.Node.Add(Node("Add", "merge", ["a_c", "b_c"], ["merged"]));
        b.Graph.Node.Add(Node("Sigmoid", "prob", ["merged"], ["y"]));
        return Model(b.Graph, 11, irVersion);
    }

    /// <summary>The smallest form of the issue-19 CMP1030: Conv without bias (Constant weight), then BN, 256+ channels.</summary>
    public static ModelProto WidePointwiseBatchNorm(bool constantNodes, int channels = 256)
    {
        var b = new Builder(constantNodes);
        b.Graph.Input.Add(Value("x", DataType.Float, 1, 16, 8, 8));
        b.Graph.Output.Add(Value("y", DataType.Float, 1, channels, 8, 8));
        b.Conv("pw", "x", b.Weight("pw_w", [channels, 16, 1, 1], 3, 0.25f), bias: null, "pw_c", Ints("kernel_shape", 1, 1));
        b.BatchNorm("pw_bn", "pw_c", channels, "y", sharedVar: null);
        return Model(b.Graph, 11, 6);
    }

    private sealed class Builder(bool constantNodes)
    {
        private readonly HashSet<string> _shared = [];

        public GraphProto Graph { get; } = new() { Name = "dbnet_like" };

        public string Weight(string name, long[] dims, int seed, float scale) =>
            Add(Floats(name, dims, Seeded((int)dims.Aggregate(1L, (a, b) => a * b), seed, scale)));

        public void Conv(string name, string x, string w, string? bias, string output, params AttributeProto[] attributes) =>
            Graph.Node.Add(Node("Conv", name, bias is null ? [x, w] : [x, w, bias], [output], attributes));

        public void BatchNorm(string name, string x, int channels, string output, string? sharedVar)
        {
            int seed = name.Length * 31;
            string gamma = Add(Floats(name + "_gamma", [channels], Seeded(channels, seed).Select(v => 1 + 0.5f * v).ToArray()));
            string beta = Add(Floats(name + "_beta", [channels], Seeded(channels, seed + 1, 0.2f)));
            string mean = Add(Floats(name + "_mean", [channels], Seeded(channels, seed + 2, 0.1f)));
            string variance = sharedVar ?? name + "_var";
            if (_shared.Add(variance))
            {
                Add(Floats(variance, [channels], Seeded(channels, seed + 3).Select(v => 0.05f + Math.Abs(v)).ToArray()));
            }

            Graph.Node.Add(Node("BatchNormalization", name, [x, gamma, beta, mean, variance], [output], Float("epsilon", 1e-5f)));
        }

        public void HardSwish(string name, string x, string output)
        {
            Graph.Node.Add(Node("HardSigmoid", name + "_sigmoid", [x], [name + "_gate"], Float("alpha", 1f / 6), Float("beta", 0.5f)));
            Graph.Node.Add(Node("Mul", name + "_mul", [x, name + "_gate"], [output]));
        }

        private string Add(TensorProto tensor)
        {
            if (constantNodes) Graph.Node.Add(Node("Constant", tensor.Name + "_const", [], [tensor.Name], Tensor(tensor)));
            else Graph.Initializer.Add(tensor);
            return tensor.Name;
        }
    }
}
