using Compression.Onnx.Tests.Pipeline;
using Compression.Onnx.Tests.RealModels;
using Onnx;

namespace Compression.Onnx.Tests.Conversion;

/// <summary>
/// Silero VAD v5 (opset 16, every weight in If branches) raised and compressed, run window by window over the speech
/// file with the state carried: the forms the new opset allows reach the subgraphs, and the speech decisions hold.
/// </summary>
[TestClass]
public sealed class VadConversionTests
{
    private static readonly Lazy<float[]> Original = new(() => VadHarness.SpeechProbabilities(PassTestFiles.VadModel));

    // Int4 at opset 21 stores the 14 conv/LSTM weights as blocked 4-bit DequantizeLinear (at opset 16 they stay 8-bit):
    // 22% of the size, but 4 bits cost this small recurrent net decisions (measured 653/697 = 93.7%, mean |d| 0.060,
    // against 99.1% for Int8; docs/reports/conversion.md), so the bound is the measured level less a margin.
    [TestMethod]
    [DataRow(QuantizationType.Int4, 21, 0.25, 0.92)]
    [DataRow(QuantizationType.Int8, 17, 0.30, 0.98)]
    [DataRow(QuantizationType.None, 26, 1.01, 1.0)]
    public void RaisedVadKeepsItsSpeechDecisions(QuantizationType type, int opset, double maxRatio, double minAgreement)
    {
        var (path, report) = CompressedModelCache.Get(PassTestFiles.VadModel, new CompressionSettings { Quantize = type, TargetOpset = opset });
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.AreEqual(opset, model.OpsetImport.Single(o => o.Domain.Length == 0).Version);
        float[] expected = Original.Value, actual = VadHarness.SpeechProbabilities(path);
        int agree = Enumerable.Range(0, expected.Length).Count(i => expected[i] >= 0.5f == actual[i] >= 0.5f);
        double mean = expected.Select((e, i) => Math.Abs(e - actual[i])).Average();
        int blocked = Subgraphs(model.Graph).SelectMany(g => g.Node).Count(n => n.OpType == "DequantizeLinear" && n.Attribute.Any(a => a.Name == "block_size"));
        Console.WriteLine($"VAD opset 16 -> {opset} {type}: {report.Ratio:P1} of the original, {agree}/{expected.Length} decisions, mean |d| {mean:G3}, {blocked} blocked 4-bit DequantizeLinear; {report}");

        Assert.IsLessThanOrEqualTo(maxRatio, report.Ratio);
        Assert.IsGreaterThanOrEqualTo(minAgreement, (double)agree / expected.Length);
        if (type == QuantizationType.None) Assert.AreEqual(0, mean, "conversion alone computes what the original does");
        if (type == QuantizationType.Int4) Assert.AreEqual(14, blocked, "opset 21 gives the 14 conv weights in the If branches a 4-bit form (opset 16: 8-bit)");
    }

    private static IEnumerable<GraphProto> Subgraphs(GraphProto graph) =>
        graph.Node.SelectMany(n => n.Attribute).SelectMany(a => a.G is null ? a.Graphs : a.Graphs.Prepend(a.G)).SelectMany(Subgraphs).Prepend(graph);
}
