using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Pruning;
using Compression.Onnx.Tests.IO;
using static Compression.Onnx.Tests.Pruning.PruningTestSupport;

namespace Compression.Onnx.Tests.Pruning;

[TestClass]
public sealed class MagnitudePrunerTests
{
    private static TinyNet Mlp(bool asConstants = false, float secondScale = 1f)
    {
        var random = new Random(11);
        var net = new TinyNet { AsConstants = asConstants };
        net.Inputs.Add(ModelFactory.FloatValue("x", 2, 32));
        net.Outputs.Add(ModelFactory.FloatValue("y", 2, 8));
        net.Node("MatMul", ["x", net.Add(random, "w1", 32, 64)], "h");
        net.Node("Relu", ["h"], "r");
        net.Node("MatMul", ["r", net.Add(random, "w2", 64, 8)], "m");
        net.Node("Add", ["m", net.Add(random, "b2", 8)], "y");
        net.Weights["w2"] = (net.Weights["w2"].Dims, net.Weights["w2"].Values.Select(v => v * secondScale).ToArray());
        return net;
    }

    [TestMethod]
    public void UnstructuredZeroesExactlyTheSmallestOfEachTensor()
    {
        TinyNet net = Mlp();
        using OnnxModel model = net.Load();
        PruningReport report = new MagnitudePruner(0.5) { StoreSparse = false }.Prune(model);

        WeightCatalog catalog = WeightCatalog.Build(model);
        foreach (string name in new[] { "w1", "w2" })
        {
            float[] before = net.Weights[name].Values;
            float[] after = catalog.Find(name)!.ReadFloats();
            float cut = before.Select(Math.Abs).Order().ElementAt((before.Length / 2) - 1);
            Assert.AreEqual(before.Length / 2, after.Count(v => v == 0), name);
            for (int i = 0; i < before.Length; i++)
            {
                Assert.AreEqual(Math.Abs(before[i]) <= cut ? 0f : before[i], after[i], $"{name}[{i}]");
            }
        }

        CollectionAssert.AreEqual(net.Weights["b2"].Values, catalog.Find("b2")!.ReadFloats(), "biases are not pruned");
        Assert.AreEqual(2, report.WeightsPruned);
        Assert.AreEqual((32 * 64 / 2) + (64 * 8 / 2), report.ElementsZeroed);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void HighSparsityIsStoredSparseAndOnnxRuntimeComputesTheSame(bool asConstants)
    {
        using OnnxModel dense = Mlp(asConstants).Load();
        new MagnitudePruner(0.8) { StoreSparse = false }.Prune(dense);
        using OnnxModel sparse = Mlp(asConstants).Load();
        PruningReport report = new MagnitudePruner(0.8).Prune(sparse);

        Assert.AreEqual(2, report.SparseTensorsWritten);
        Assert.IsLessThan(dense.Proto.CalculateSize() * 0.75, sparse.Proto.CalculateSize());
        var x = Input("x", 3, 2, 32);
        AssertExactlyEqual(Run(dense, x), Run(sparse, x));
        (long serialized, long deflated) = ModelSize.Measure(dense);
        Assert.IsLessThan(serialized * 0.5, deflated, "dense zeros deflate well");
    }

    [TestMethod]
    public void GlobalPrunesTheSmallLayerMostButNeverBeyondTheCap()
    {
        using OnnxModel model = Mlp(secondScale: 0.001f).Load();
        PruningReport report = new MagnitudePruner(0.5, global: true) { LayerCap = 0.9, StoreSparse = false }.Prune(model);

        WeightCatalog catalog = WeightCatalog.Build(model);
        int zeros1 = catalog.Find("w1")!.ReadFloats().Count(v => v == 0);
        int zeros2 = catalog.Find("w2")!.ReadFloats().Count(v => v == 0);
        Assert.AreEqual((int)Math.Floor(512 * 0.9), zeros2, "the tiny layer is capped at 90%");
        Assert.AreEqual((long)Math.Round(0.5 * ((32 * 64) + 512)), zeros1 + zeros2, "the total is exact");
        Assert.AreEqual(zeros1 + zeros2, report.ElementsZeroed);
    }

    [TestMethod]
    public void BadSettingsAreCodedErrors()
    {
        Assert.AreEqual("CMP4601", Assert.ThrowsExactly<CompressionException>(() => new MagnitudePruner(1.5)).Code);
        using OnnxModel model = Mlp().Load();
        Assert.AreEqual("CMP4601", Assert.ThrowsExactly<CompressionException>(() => new MagnitudePruner(0.9, global: true) { LayerCap = 0.5 }.Prune(model)).Code);
        Assert.AreEqual("CMP4602", Assert.ThrowsExactly<CompressionException>(() => new MagnitudePruner(0.5) { Scope = new PruningScope { ExcludeOps = ["MatMul"] } }.Prune(model)).Code);
        Assert.AreEqual("CMP4601", Assert.ThrowsExactly<CompressionException>(() => NMPattern.Parse("4:2")).Code);
    }

    [TestMethod]
    public void TwoOfFourKeepsTheTwoLargestOfEveryFourInputChannels()
    {
        var random = new Random(12);
        var net = new TinyNet();
        net.Inputs.Add(ModelFactory.FloatValue("x", 1, 8, 6, 6));
        net.Outputs.Add(ModelFactory.FloatValue("y", 1, 5));
        net.Node("Conv", ["x", net.Add(random, "k", 16, 8, 3, 3)], "c");
        net.Node("GlobalAveragePool", ["c"], "g");
        net.Node("Flatten", ["g"], "f");
        net.Node("Gemm", ["f", net.Add(random, "wt", 12, 16)], "h", ("transB", 1));
        net.Node("MatMul", ["h", net.Add(random, "w", 12, 5)], "y");
        using OnnxModel model = net.Load();
        PruningReport report = new NMSparsityPruner(NMPattern.Parse("2:4")).Prune(model);

        WeightCatalog catalog = WeightCatalog.Build(model);
        float[] k = catalog.Find("k")!.ReadFloats();
        float[] original = net.Weights["k"].Values;
        for (int o = 0; o < 16; o++)
        {
            for (int g = 0; g < 8; g += 4)
            {
                for (int s = 0; s < 9; s++)
                {
                    int[] idx = Enumerable.Range(g, 4).Select(c => (((o * 8) + c) * 9) + s).ToArray();
                    var keep = idx.OrderByDescending(i => Math.Abs(original[i])).Take(2).ToHashSet();
                    foreach (int i in idx)
                    {
                        Assert.AreEqual(keep.Contains(i) ? original[i] : 0f, k[i]);
                    }
                }
            }
        }

        Assert.IsTrue(NMPattern.TwoOfFour.IsSatisfiedBy(catalog.Find("wt")!.ReadFloats(), 12, 16, 1), "Gemm transB: K is the last axis");
        Assert.IsTrue(NMPattern.TwoOfFour.IsSatisfiedBy(catalog.Find("w")!.ReadFloats(), 1, 12, 5), "MatMul: K is the first axis");
        Assert.AreEqual(3, report.WeightsPruned);
        Assert.HasCount(1, Run(model, Input("x", 4, 1, 8, 6, 6)));
    }
}
