using Compression.Onnx.Tests.Pipeline;
using Compression.Onnx.Tests.RealModels;
using Compression.Onnx.Tests.Validation;
using Onnx;

namespace Compression.Onnx.Tests.Conversion;

/// <summary>
/// The PaddleOCR text-direction classifier (opset 9) raised to opsets 13 and 21 with every Quantize setting: it loads,
/// gives the original's class on the rendered stroke images and on seeded inputs, and uses the forms the new opset allows.
/// </summary>
[TestClass]
public sealed class ClassifierConversionTests
{
    private const int Count = 300;
    private static readonly Lazy<float[]> Inputs = new(() => ClassifierHarness.SeededInputs(Count, seed: 3));
    private static readonly Lazy<float[]> Original = new(() => ClassifierHarness.Probabilities(PassTestFiles.ClassifierModel, Inputs.Value));

    [TestMethod]
    [DataRow(13, QuantizationType.None)]
    [DataRow(13, QuantizationType.Int8)]
    [DataRow(13, QuantizationType.UInt8)]
    [DataRow(13, QuantizationType.Int4)]
    [DataRow(13, QuantizationType.UInt4)]
    [DataRow(13, QuantizationType.Float16)]
    [DataRow(13, QuantizationType.BFloat16)]
    [DataRow(21, QuantizationType.None)]
    [DataRow(21, QuantizationType.Int8)]
    [DataRow(21, QuantizationType.UInt8)]
    [DataRow(21, QuantizationType.Int4)]
    [DataRow(21, QuantizationType.UInt4)]
    [DataRow(21, QuantizationType.Float16)]
    [DataRow(21, QuantizationType.BFloat16)]
    public void RaisedClassifierKeepsItsClasses(int opset, QuantizationType type)
    {
        var (path, report) = CompressedModelCache.Get(PassTestFiles.ClassifierModel, new CompressionSettings { Quantize = type, TargetOpset = opset });
        var (ownPath, _) = CompressedModelCache.Get(PassTestFiles.ClassifierModel, new CompressionSettings { Quantize = type });
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.AreEqual(opset, model.OpsetImport.Single(o => o.Domain.Length == 0).Version);

        float[] expected = Original.Value, actual = ClassifierHarness.Probabilities(path, Inputs.Value), own = ClassifierHarness.Probabilities(ownPath, Inputs.Value);
        int Agree(float[] p) => Enumerable.Range(0, Count).Count(n => expected[2 * n] >= expected[2 * n + 1] == p[2 * n] >= p[2 * n + 1]);
        int agree = Agree(actual), ownAgree = Agree(own);
        var strokes = ClassifierHarness.StrokeImages();
        float[] strokeBatch = strokes.SelectMany(s => s).ToArray();
        float[] before = ClassifierHarness.Probabilities(PassTestFiles.ClassifierModel, strokeBatch, batch: strokes.Count);
        float[] after = ClassifierHarness.Probabilities(path, strokeBatch, batch: strokes.Count);
        int strokeAgree = Enumerable.Range(0, strokes.Count).Count(n => before[2 * n] >= before[2 * n + 1] == after[2 * n] >= after[2 * n + 1]);
        var ops = model.Graph.Node.GroupBy(n => n.OpType).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
        Console.WriteLine($"opset {opset} {type}: {report}; class agreement {agree}/{Count} (at the model's own opset 9: {ownAgree}/{Count}), strokes {strokeAgree}/{strokes.Count}; ops: {string.Join(", ", ops)}");

        if (type == QuantizationType.None)
        {
            Assert.AreEqual(0, report.Validation!.MaxAbsoluteDifference, "conversion alone computes exactly what the original does");
        }

        bool newForm = opset >= 21 && type is QuantizationType.Int4 or QuantizationType.UInt4;
        if (type == QuantizationType.Int8)
        {
            // The 8-bit pass picks its activation-quantization form from the opset (docs/reports/conversion.md), so the
            // outputs are not bit-identical to opset 9's; the agreement must stay as good.
            Assert.IsGreaterThanOrEqualTo(ownAgree - (Count / 50), agree);
            Assert.AreEqual(strokes.Count, strokeAgree, "rendered strokes keep their class");
        }
        else if (!newForm)
        {
            // Same compression forms as at opset 9: the conversion must not cost accuracy.
            CollectionAssert.AreEqual(own, actual, "the raised model computes what the same compression computes at opset 9");
            Assert.AreEqual(strokes.Count, strokeAgree, "rendered strokes keep their class");
        }
        else
        {
            // Opset 21 gives the 44 conv weights a 4-bit form (blocked DequantizeLinear) they do not have at opset 9, and
            // this 0.58 MB mobile network loses accuracy from it (docs/reports/conversion.md); only loading is asserted here.
            Assert.IsGreaterThan(0, agree);
        }
    }

    /// <summary>
    /// Why Int8 at opset 13 agrees with the original on a few seeded inputs fewer or more than Int8 at opset 9 (287 vs 290
    /// of 300 on an AVX2 machine, 291 vs 290 on AVX-512): not the conversion, but the form opset 11+ allows. At opset 9
    /// Int8 Dynamic must store the 44 conv weights weight-only (no DynamicQuantizeLinear before 11); from 11 they become
    /// ConvInteger with activations quantized per tensor at run time, which deviates more (mean |d| 0.017 vs 0.010).
    /// The flips are inputs the original itself barely separates (uniform and blob noise), never a stroke image.
    /// </summary>
    [TestMethod]
    public void RaisedInt8DiffersFromOpset9OnlyByItsIntegerConvs()
    {
        CompressionSettings weightOnly = new() { Quantize = QuantizationType.Int8, Mode = QuantizationMode.WeightOnly };
        float[] ownWeightOnly = ClassifierHarness.Probabilities(CompressedModelCache.Get(PassTestFiles.ClassifierModel, weightOnly).Path, Inputs.Value);
        float[] raisedWeightOnly = ClassifierHarness.Probabilities(CompressedModelCache.Get(PassTestFiles.ClassifierModel, weightOnly with { TargetOpset = 13 }).Path, Inputs.Value);
        float[] raisedDynamic = ClassifierHarness.Probabilities(CompressedModelCache.Get(PassTestFiles.ClassifierModel, new CompressionSettings { Quantize = QuantizationType.Int8, TargetOpset = 13 }).Path, Inputs.Value);
        var (ownPath, ownReport) = CompressedModelCache.Get(PassTestFiles.ClassifierModel, new CompressionSettings { Quantize = QuantizationType.Int8 });
        float[] ownDynamic = ClassifierHarness.Probabilities(ownPath, Inputs.Value);

        // The same form at both opsets computes the same outputs: the conversion costs nothing.
        for (int i = 0; i < ownWeightOnly.Length; i++) Assert.AreEqual(ownWeightOnly[i], raisedWeightOnly[i], 1e-6f, "WeightOnly at opset 13 vs 9, value " + i);
        StringAssert.Contains(string.Join(" ", ownReport.Notes), "opset 9 has no DynamicQuantizeLinear (opset 11): Conv weights are stored weight-only");

        float[] expected = Original.Value;
        double Margin(int n) => Math.Abs(expected[2 * n] - expected[2 * n + 1]);
        List<int> Flips(float[] p) => [.. Enumerable.Range(0, Count).Where(n => expected[2 * n] >= expected[2 * n + 1] != p[2 * n] >= p[2 * n + 1])];
        double MeanDifference(float[] p) => p.Select((v, i) => Math.Abs(v - expected[i])).Average();
        List<int> raisedFlips = Flips(raisedDynamic), ownFlips = Flips(ownDynamic);
        Console.WriteLine($"Int8 Dynamic: opset 9 (weight-only convs) {Count - ownFlips.Count}/{Count}, mean |d| {MeanDifference(ownDynamic):0.0000}; opset 13 (ConvInteger) {Count - raisedFlips.Count}/{Count}, mean |d| {MeanDifference(raisedDynamic):0.0000}; original margins of the opset-13 flips: {string.Join(" ", raisedFlips.Select(n => Margin(n).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))}");

        Assert.IsGreaterThan(MeanDifference(ownDynamic), MeanDifference(raisedDynamic), "dynamically quantized conv activations deviate more than weight-only convs");
        // SeededInputs: n % 3 == 2 are stroke images with a little noise, where the original is sure (margin ~1).
        Assert.IsFalse(raisedFlips.Any(n => n % 3 == 2), "no stroke-based input changes class");
        Assert.IsTrue(raisedFlips.All(n => Margin(n) < 0.2), "only near-ties of the original change class (its median margin on noise is ~0.15-0.3)");
    }

    [TestMethod]
    public void Opset21LetsInt4StoreConvWeightsAsBlockedDequantizeLinear()
    {
        var (raised, _) = CompressedModelCache.Get(PassTestFiles.ClassifierModel, new CompressionSettings { Quantize = QuantizationType.Int4, TargetOpset = 21 });
        var (own, _) = CompressedModelCache.Get(PassTestFiles.ClassifierModel, new CompressionSettings { Quantize = QuantizationType.Int4 });
        int Blocked(string path) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Node
            .Count(n => n.OpType == "DequantizeLinear" && n.Domain.Length == 0 && n.Attribute.Any(a => a.Name == "block_size" && a.I > 0));
        Assert.AreEqual(0, Blocked(own), "at its own opset 9 the conv weights have no 4-bit form");
        Assert.IsGreaterThan(10, Blocked(raised), "at opset 21 the conv weights are blocked int4 DequantizeLinear");
        Assert.IsLessThan(new FileInfo(own).Length, new FileInfo(raised).Length);
    }

    [TestMethod]
    [DataRow(13)]
    [DataRow(17)]
    public void RaisedClassifierPassesTheOnnxChecker(int opset)
    {
        var (path, _) = CompressedModelCache.Get(PassTestFiles.ClassifierModel, new CompressionSettings { Quantize = QuantizationType.Int8, TargetOpset = opset });
        OnnxChecker.AssertValid(path);
    }
}
