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

        // Expected from the original weights with a 2:4 rule written here (not NMPattern): in every group of 4
        // consecutive weights along the reduction axis K, the 2 largest |w| stay and the other 2 become 0.
        WeightCatalog catalog = WeightCatalog.Build(model);
        AssertTwoOfFour(net.Weights["k"].Values, catalog.Find("k")!.ReadFloats(), outer: 16, k: 8, inner: 9, "Conv: K is the input channels");
        AssertTwoOfFour(net.Weights["wt"].Values, catalog.Find("wt")!.ReadFloats(), outer: 12, k: 16, inner: 1, "Gemm transB: K is the last axis");
        AssertTwoOfFour(net.Weights["w"].Values, catalog.Find("w")!.ReadFloats(), outer: 1, k: 12, inner: 5, "MatMul: K is the first axis");
        Assert.AreEqual(3, report.WeightsPruned);
        Assert.HasCount(1, Run(model, Input("x", 4, 1, 8, 6, 6)));
    }

    /// <summary>Weights laid out [outer, k, inner]: each group of 4 along k keeps exactly its 2 largest |w|.</summary>
    private static void AssertTwoOfFour(float[] original, float[] pruned, int outer, int k, int inner, string what)
    {
        Assert.HasCount(original.Length, pruned);
        for (int o = 0; o < outer; o++)
        {
            for (int g = 0; g < k; g += 4)
            {
                for (int s = 0; s < inner; s++)
                {
                    int[] group = Enumerable.Range(g, 4).Select(c => (((o * k) + c) * inner) + s).ToArray();
                    var keep = group.OrderByDescending(i => Math.Abs(original[i])).Take(2).ToHashSet();
                    foreach (int i in group)
                    {
                        Assert.AreEqual(keep.Contains(i) ? original[i] : 0f, pruned[i], $"{what}: element {i}");
                    }
                }
            }
        }
    }
}
