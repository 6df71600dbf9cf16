using Compression.Onnx.Tests.Pipeline;
using Compression.Onnx.Tests.Validation;

namespace Compression.Onnx.Tests.RealModels;

/// <summary>
/// The PaddleOCR text-direction classifier (opset 9, every weight a Constant node, 35 BatchNormalization) compressed
/// and compared with the original on 500 seeded inputs and the committed stroke images.
/// </summary>
[TestClass]
public sealed class TextDirectionClassifierTests
{
    private const int Count = 500;
    private static readonly Lazy<float[]> Inputs = new(() => ClassifierHarness.SeededInputs(Count, seed: 7));
    private static readonly Lazy<float[]> Original = new(() => ClassifierHarness.Probabilities(PassTestFiles.ClassifierModel, Inputs.Value));

    // UInt8 is asymmetric: a zero point per channel and a Sub in the opset-9 Cast+Mul form cost ~4% more than Int8.
    // Measured on AVX2 (500 inputs): agreement 98.8% / 99.0% (Int8), 99.2% (UInt8), 99.6% (Float16), 98.0% (BFloat16);
    // the flips are noise inputs whose original sits near p = 0.5, so the bound 97% leaves 5-13 flips of margin.
    // Probability max |d|: 0.066 / 0.062 (Int8), 0.033 (UInt8), 0.0049 (Float16 WeightOnly), 0.0048 (Float16 Full),
    // 0.043 (BFloat16); each bound is about twice that or more.
    [TestMethod]
    [DataRow(QuantizationType.Int8, QuantizationMode.Dynamic, 0.35, 0.1)]
    [DataRow(QuantizationType.Int8, QuantizationMode.WeightOnly, 0.35, 0.1)]
    [DataRow(QuantizationType.UInt8, QuantizationMode.Dynamic, 0.40, 0.1)]
    [DataRow(QuantizationType.UInt8, QuantizationMode.WeightOnly, 0.40, 0.1)]
    [DataRow(QuantizationType.Float16, QuantizationMode.WeightOnly, 0.52, 0.01)]
    [DataRow(QuantizationType.BFloat16, QuantizationMode.WeightOnly, 0.52, 0.1)]
    [DataRow(QuantizationType.Float16, QuantizationMode.Full, 0.52, 0.01)]
    public void Compressed_model_is_small_and_agrees_with_the_original(QuantizationType type, QuantizationMode mode, double maxRatio, double maxDifference)
    {
        var (path, report) = CompressedModelCache.Get(PassTestFiles.ClassifierModel, new CompressionSettings { Quantize = type, Mode = mode });
        float[] expected = Original.Value;
        float[] actual = ClassifierHarness.Probabilities(path, Inputs.Value);

        int agree = 0, upright = 0;
        double max = 0;
        for (int n = 0; n < Count; n++)
        {
            bool a = expected[2 * n] >= expected[2 * n + 1], b = actual[2 * n] >= actual[2 * n + 1];
            if (a == b) agree++;
            if (a) upright++;
            max = Math.Max(max, Math.Max(Math.Abs(expected[2 * n] - actual[2 * n]), Math.Abs(expected[2 * n + 1] - actual[2 * n + 1])));
        }

        double agreement = (double)agree / Count;
        Console.WriteLine($"Classifier {type} {mode}: {report.OriginalBytes} -> {report.CompressedBytes} B ({report.Ratio:P1}), class agreement {agreement:P1} over {Count} ({upright} upright), probability max |d| {max:G3}; {report}");
        Assert.IsTrue(upright > 10 && upright < Count - 10, "the inputs must produce both classes");
        Assert.IsLessThanOrEqualTo(maxRatio, report.Ratio);
        Assert.IsGreaterThanOrEqualTo(0.97, agreement);
        Assert.IsLessThanOrEqualTo(maxDifference, max);
    }

    [TestMethod]
    [DataRow(QuantizationType.Int8, QuantizationMode.Dynamic)]
    [DataRow(QuantizationType.Int8, QuantizationMode.WeightOnly)]
    [DataRow(QuantizationType.UInt8, QuantizationMode.Dynamic)]
    [DataRow(QuantizationType.UInt8, QuantizationMode.WeightOnly)]
    [DataRow(QuantizationType.Float16, QuantizationMode.WeightOnly)]
    [DataRow(QuantizationType.BFloat16, QuantizationMode.WeightOnly)]
    [DataRow(QuantizationType.Float16, QuantizationMode.Full)]
    public void Compressed_model_passes_the_onnx_checker(QuantizationType type, QuantizationMode mode)
    {
        var (path, _) = CompressedModelCache.Get(PassTestFiles.ClassifierModel, new CompressionSettings { Quantize = type, Mode = mode });
        OnnxChecker.AssertValid(path);
    }
}
