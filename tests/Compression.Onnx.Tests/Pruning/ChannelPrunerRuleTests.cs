using Compression.Onnx.IO;
using Compression.Onnx.Pruning;
using Compression.Onnx.Tests.IO;
using static Compression.Onnx.Tests.Pruning.PruningTestSupport;

namespace Compression.Onnx.Tests.Pruning;

/// <summary>
/// One tiny network per rewrite rule: the pruned model must compute exactly what the same network built
/// directly at the smaller width computes (same weights, the surviving channels only).
/// </summary>
[TestClass]
public sealed class ChannelPrunerRuleTests
{
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ConvBatchNormReluConvEqualsTheNarrowNetwork(bool asConstants)
    {
        var random = new Random(1);
        var net = new TinyNet { AsConstants = asConstants };
        net.Inputs.Add(ModelFactory.FloatValue("x", 1, 3, 8, 8));
        net.Outputs.Add(ModelFactory.FloatValue("y", 1, 4, 8, 8));
        net.Node("Conv", ["x", net.Add(random, "w1", 8, 3, 3, 3), net.Add(random, "b1", 8)], "c1", ("group", 1)).Attribute.Add(Pads(1));
        AddBatchNorm(net, random, "bn1", 8, "c1", "n1");
        net.Node("Relu", ["n1"], "r1");
        net.Node("Conv", ["r1", net.Add(random, "w2", 4, 8, 1, 1), net.Add(random, "b2", 4)], "y");

        using OnnxModel model = net.Load();
        PruningReport report = new ChannelPruner(0.5) { MinimumGroupChannels = 1 }.Prune(model);

        int[] kept = Kept(4, WithBatchNorm(Norms(net.Weights["w1"], 0), net, "bn1_gamma", "bn1_var"));
        TinyNet narrow = net.Clone();
        narrow.Slice("w1", 0, kept);
        narrow.Slice("b1", 0, kept);
        SliceBatchNorm(narrow, "bn1", kept);
        narrow.Slice("w2", 1, kept);
        var x = Input("x", 5, 1, 3, 8, 8);
        AssertExactlyEqual(Run(narrow.Build(), x), Run(model, x));
        Assert.AreEqual(4, report.ChannelsRemoved);
        Assert.AreEqual(1, report.GroupsPruned);
        Assert.AreEqual(net.Weights.Values.Sum(w => w.Values.Length) - ((4 * 27) + 4 + 16 + 16), report.ParametersAfter);
    }

    [TestMethod]
    public void ResidualAddPrunesBothSidesAlike()
    {
        var random = new Random(2);
        var net = new TinyNet();
        net.Inputs.Add(ModelFactory.FloatValue("x", 1, 3, 6, 6));
        net.Outputs.Add(ModelFactory.FloatValue("y", 1, 2, 6, 6));
        net.Node("Conv", ["x", net.Add(random, "wa", 8, 3, 1, 1), net.Add(random, "ba", 8)], "a");
        net.Node("Relu", ["a"], "ra");
        net.Node("Conv", ["ra", net.Add(random, "wb", 8, 8, 1, 1), net.Add(random, "bb", 8)], "b");
        net.Node("Add", ["a", "b"], "s");
        net.Node("Mul", ["s", net.Add(random, "scale", 1, 8, 1, 1)], "m");
        net.Node("Conv", ["m", net.Add(random, "wc", 2, 8, 1, 1)], "y");

        using OnnxModel model = net.Load();
        PruningReport report = new ChannelPruner(0.25) { MinimumGroupChannels = 1 }.Prune(model);

        int[] kept = Kept(2, Norms(net.Weights["wa"], 0), Norms(net.Weights["wb"], 0));
        TinyNet narrow = net.Clone();
        foreach (string w in new[] { "wa", "ba", "wb", "bb" })
        {
            narrow.Slice(w, 0, kept);
        }

        narrow.Slice("wb", 1, kept);
        narrow.Slice("scale", 1, kept);
        narrow.Slice("wc", 1, kept);
        var x = Input("x", 6, 1, 3, 6, 6);
        AssertExactlyEqual(Run(narrow.Build(), x), Run(model, x));
        Assert.AreEqual(1, report.GroupsPruned, "a and b share one group");
        Assert.AreEqual(2, report.ChannelsRemoved);
    }

    [TestMethod]
    public void DepthwiseConvFollowsItsInputChannels()
    {
        var random = new Random(3);
        var net = new TinyNet();
        net.Inputs.Add(ModelFactory.FloatValue("x", 1, 3, 8, 8));
        net.Outputs.Add(ModelFactory.FloatValue("y", 1, 4, 8, 8));
        net.Node("Conv", ["x", net.Add(random, "w1", 8, 3, 1, 1)], "c1");
        AddBatchNorm(net, random, "bn1", 8, "c1", "n1");
        net.Node("Relu", ["n1"], "r1");
        net.Node("Conv", ["r1", net.Add(random, "dw", 8, 1, 3, 3), net.Add(random, "dwb", 8)], "d", ("group", 8)).Attribute.Add(Pads(1));
        AddBatchNorm(net, random, "bn2", 8, "d", "n2");
        net.Node("Clip", ["n2", net.AddScalar("lo", 0f), net.AddScalar("hi", 6f)], "r2");
        net.Node("Conv", ["r2", net.Add(random, "w3", 4, 8, 1, 1)], "y");

        using OnnxModel model = net.Load();
        new ChannelPruner(0.5) { MinimumGroupChannels = 1 }.Prune(model);

        int[] kept = Kept(4, WithBatchNorm(Norms(net.Weights["w1"], 0), net, "bn1_gamma", "bn1_var"));
        TinyNet narrow = net.Clone();
        narrow.Slice("w1", 0, kept);
        SliceBatchNorm(narrow, "bn1", kept);
        narrow.Slice("dw", 0, kept);
        narrow.Slice("dwb", 0, kept);
        narrow.SetAttribute("d", "group", 4);
        SliceBatchNorm(narrow, "bn2", kept);
        narrow.Slice("w3", 1, kept);
        var x = Input("x", 7, 1, 3, 8, 8);
        AssertExactlyEqual(Run(narrow.Build(), x), Run(model, x));
    }

    [TestMethod]
    public void GemmChainPrunesEveryHiddenLayer()
    {
        var random = new Random(4);
        var net = new TinyNet();
        net.Inputs.Add(ModelFactory.FloatValue("x", 2, 16));
        net.Outputs.Add(ModelFactory.FloatValue("y", 2, 3));
        net.Node("Gemm", ["x", net.Add(random, "w1", 16, 32), net.Add(random, "b1", 32)], "g1");
        net.Node("Relu", ["g1"], "r1");
        net.Node("Gemm", ["r1", net.Add(random, "w2", 8, 32), net.Add(random, "b2", 8)], "g2", ("transB", 1));
        net.Node("Tanh", ["g2"], "r2");
        net.Node("MatMul", ["r2", net.Add(random, "w3", 8, 3)], "y");

        using OnnxModel model = net.Load();
        PruningReport report = new ChannelPruner(0.5) { MinimumGroupChannels = 1 }.Prune(model);

        int[] kept1 = Kept(16, Norms(net.Weights["w1"], 1));
        int[] kept2 = Kept(4, Norms(net.Weights["w2"], 0));
        TinyNet narrow = net.Clone();
        narrow.Slice("w1", 1, kept1);
        narrow.Slice("b1", 0, kept1);
        narrow.Slice("w2", 1, kept1);
        narrow.Slice("w2", 0, kept2);
        narrow.Slice("b2", 0, kept2);
        narrow.Slice("w3", 0, kept2);
        var x = Input("x", 8, 2, 16);
        AssertExactlyEqual(Run(narrow.Build(), x), Run(model, x));
        Assert.AreEqual(2, report.GroupsPruned);
        Assert.AreEqual(1, report.SkippedGroups.Values.Sum(s => s.Groups), "the MatMul output is the graph output");
    }

    [TestMethod]
    public void ConcatOnChannelsSlicesTheReaderAtOffsets()
    {
        var random = new Random(5);
        var net = new TinyNet();
        net.Inputs.Add(ModelFactory.FloatValue("x", 1, 3, 5, 5));
        net.Outputs.Add(ModelFactory.FloatValue("y", 1, 4, 5, 5));
        net.Node("Conv", ["x", net.Add(random, "wa", 8, 3, 1, 1), net.Add(random, "ba", 8)], "a");
        net.Node("Relu", ["a"], "ra");
        net.Node("Conv", ["x", net.Add(random, "wb", 8, 3, 1, 1)], "b");
        net.Node("Concat", ["ra", "b"], "c", ("axis", 1));
        net.Node("Conv", ["c", net.Add(random, "wc", 4, 16, 1, 1)], "y");

        using OnnxModel model = net.Load();
        PruningReport report = new ChannelPruner(0.5) { MinimumGroupChannels = 1 }.Prune(model);

        int[] keptA = Kept(4, Norms(net.Weights["wa"], 0));
        int[] keptB = Kept(4, Norms(net.Weights["wb"], 0));
        TinyNet narrow = net.Clone();
        narrow.Slice("wa", 0, keptA);
        narrow.Slice("ba", 0, keptA);
        narrow.Slice("wb", 0, keptB);
        narrow.Slice("wc", 1, [.. keptA, .. keptB.Select(c => c + 8)]);
        var x = Input("x", 9, 1, 3, 5, 5);
        AssertExactlyEqual(Run(narrow.Build(), x), Run(model, x));
        Assert.AreEqual(2, report.GroupsPruned);
    }

    [TestMethod]
    public void ReshapeTargetLiteralIsRewrittenBeforeTheHead()
    {
        var random = new Random(6);
        var net = new TinyNet { AsConstants = true };
        net.Inputs.Add(ModelFactory.FloatValue("x", 1, 3, 6, 6));
        net.Outputs.Add(ModelFactory.FloatValue("y", 1, 5));
        net.Node("Conv", ["x", net.Add(random, "w", 16, 3, 3, 3), net.Add(random, "b", 16)], "c");
        net.Node("HardSigmoid", ["c"], "h");
        net.Node("Mul", ["c", "h"], "s");
        net.Node("GlobalAveragePool", ["s"], "g");
        net.IntWeights["shape"] = ([2], [1, 16]);
        net.Node("Reshape", ["g", "shape"], "r");
        net.Node("MatMul", ["r", net.Add(random, "fc", 16, 5)], "m");
        net.Node("Add", ["m", net.Add(random, "fcb", 5)], "y");

        using OnnxModel model = net.Load();
        new ChannelPruner(0.5) { MinimumGroupChannels = 1 }.Prune(model);

        int[] kept = Kept(8, Norms(net.Weights["w"], 0));
        TinyNet narrow = net.Clone();
        narrow.Slice("w", 0, kept);
        narrow.Slice("b", 0, kept);
        narrow.Slice("fc", 0, kept);
        narrow.IntWeights["shape"] = ([2], [1, 8]);
        var x = Input("x", 10, 1, 3, 6, 6);
        AssertExactlyEqual(Run(narrow.Build(), x), Run(model, x));
    }

    [TestMethod]
    public void HeldGroupsAreCountedByReason()
    {
        var random = new Random(7);
        var net = new TinyNet();
        net.Inputs.Add(ModelFactory.FloatValue("x", 1, 8, 4, 4));
        net.Outputs.Add(ModelFactory.FloatValue("y", 1, 8, 4, 4));
        net.Outputs.Add(ModelFactory.FloatValue("z", 1, 4));
        net.Node("Conv", ["x", net.Add(random, "w1", 8, 8, 1, 1)], "a");
        net.Node("Add", ["a", "x"], "r");                 // residual with the graph input: a's channels are held
        net.Node("Conv", ["r", net.Add(random, "w2", 8, 8, 1, 1)], "y"); // graph output: held
        net.Node("Conv", ["r", net.Add(random, "w3", 6, 8, 1, 1)], "f");
        net.Node("Flatten", ["f"], "ff");                 // spatial 4x4 after the channels: held
        net.Node("MatMul", ["ff", net.Add(random, "w4", 96, 4)], "z");

        using OnnxModel model = net.Load();
        var e = Assert.ThrowsExactly<CompressionException>(() => new ChannelPruner(0.5) { MinimumGroupChannels = 1 }.Prune(model));
        Assert.AreEqual("CMP4603", e.Code);
        StringAssert.Contains(e.Message, "residual Add");
        StringAssert.Contains(e.Message, "reach a graph output");
        StringAssert.Contains(e.Message, "Reshape or Flatten");
    }

    internal static global::Onnx.AttributeProto Pads(long pad)
    {
        var attribute = new global::Onnx.AttributeProto { Name = "pads", Type = global::Onnx.AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange([pad, pad, pad, pad]);
        return attribute;
    }
}
