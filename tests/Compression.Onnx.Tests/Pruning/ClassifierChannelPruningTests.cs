using System.Diagnostics;
using Compression.Onnx.IO;
using Compression.Onnx.Pruning;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Onnx.Tests.Pruning;

/// <summary>
/// The PaddleOCR text-direction classifier (opset 9, every weight in a Constant node, Conv -> BN -> hardswish,
/// SE blocks with HardSigmoid and Mul, residual Adds, a Shape-computed Reshape before the head) pruned by channels.
/// </summary>
[TestClass]
public sealed class ClassifierChannelPruningTests
{
    internal static string ModelPath => Compression.Onnx.Tests.IO.TestFiles.Model("ch_ppocr_mobile_v2.0_cls_infer.onnx");

    /// <summary>
    /// The rewrite is exact: removing the channels computes what the original computes when the layers that read
    /// those channels simply ignore them (their kernel columns zeroed), through BN, hardswish, SE gates, residual
    /// Adds, depthwise Convs and the Shape-computed Reshape of the head.
    /// </summary>
    [TestMethod]
    [DataRow(0.3)]
    [DataRow(0.5)]
    public void PrunedClassifierComputesWhatTheOriginalComputesWithoutTheRemovedChannels(double sparsity)
    {
        using OnnxModel pruned = OnnxModel.Load(ModelPath);
        PruningReport report = new ChannelPruner(sparsity) { MinimumGroupChannels = 16 }.Prune(pruned);
        using OnnxModel zeroed = OnnxModel.Load(ModelPath);
        new ChannelPruner(sparsity) { MinimumGroupChannels = 16, ZeroInsteadOfRemove = true }.Prune(zeroed);

        (double agreement, double maxDifference) = Agreement(zeroed.Proto.ToByteArray(), pruned.Proto.ToByteArray(), 20);
        Assert.AreEqual(1.0, agreement);
        Assert.IsLessThan(1e-5, maxDifference);
        Assert.IsLessThan(report.ParametersBefore * (1 - (sparsity * 0.8)), report.ParametersAfter, "parameters shrink");
        Assert.IsGreaterThan(15, report.GroupsPruned);
        Assert.IsLessThan(new FileInfo(ModelPath).Length, pruned.Proto.CalculateSize());
    }

    /// <summary>
    /// With calibration (bias correction and variance-based ranking), Channel 30% on the groups of 64 channels or
    /// more keeps the decision on the stroke images (the in-distribution third of the shared 500-input set).
    /// </summary>
    [TestMethod]
    public void CalibratedChannelPruningKeepsTheStrokeDecisions()
    {
        using OnnxModel model = OnnxModel.Load(ModelPath);
        PruningReport report = new ChannelPruner(0.3) { CalibrationInputs = HarnessCalibration(32) }.Prune(model);
        (double all, double strokes, int originalUpright) = HarnessAgreement(model, 150);
        Console.WriteLine($"Channel 30% (groups >= 64): {report}; agreement {all:P1}, strokes {strokes:P1}");
        Assert.IsGreaterThan(10, report.BiasesCorrected);
        Assert.IsTrue(originalUpright > 5 && originalUpright < 145, "the inputs must produce both classes");
        Assert.IsGreaterThanOrEqualTo(0.9, strokes);
        Assert.IsLessThan(report.ParametersBefore * 0.85, report.ParametersAfter);
    }

    /// <summary>
    /// The size/accuracy curve for docs/reports/pruning.md over the shared classifier inputs (500, seed 7: noise, blobs,
    /// stroke images). Set PRUNING_EVIDENCE=1 for all 500 inputs and latency; by default a quick pass over 30 that
    /// checks the curve shrinks monotonically.
    /// </summary>
    [TestMethod]
    public void ChannelCurve()
    {
        bool full = Environment.GetEnvironmentVariable("PRUNING_EVIDENCE") == "1";
        int count = full ? 500 : 30;
        byte[] original = File.ReadAllBytes(ModelPath);
        double baseLatency = full ? Latency(original, 400) : 0;
        Console.WriteLine($"original: {original.Length} B, {baseLatency:F3} ms");
        foreach (int minimum in new[] { 16, 64 })
        {
            long previous = long.MaxValue;
            foreach (double sparsity in new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7 })
            {
                using OnnxModel model = OnnxModel.Load(ModelPath);
                PruningReport report = new ChannelPruner(sparsity) { MinimumGroupChannels = minimum, CalibrationInputs = HarnessCalibration(32) }.Prune(model);
                byte[] bytes = model.Proto.ToByteArray();
                (double all, double strokes, _) = HarnessAgreement(model, count);
                double latency = full ? Latency(bytes, 400) : 0;
                Console.WriteLine($"| {minimum} | {sparsity:P0} | {report.ParametersAfter} ({(double)report.ParametersAfter / report.ParametersBefore:P0}) | {bytes.Length} | {all:P1} | {strokes:P1} | {latency:F3} ms | {(latency > 0 ? baseLatency / latency : 0):F2}x | {report.GroupsPruned} |");
                Assert.IsLessThanOrEqualTo(previous, report.ParametersAfter);
                previous = report.ParametersAfter;
            }
        }
    }

    /// <summary>Class agreement with the original over the first <paramref name="count"/> shared harness inputs, overall and on the stroke images.</summary>
    internal static (double All, double Strokes, int OriginalUpright) HarnessAgreement(OnnxModel pruned, int count)
    {
        float[] inputs = Compression.Onnx.Tests.RealModels.ClassifierHarness.SeededInputs(count, seed: 7);
        float[] expected = Compression.Onnx.Tests.RealModels.ClassifierHarness.Probabilities(ModelPath, inputs);
        string path = Path.Combine(Path.GetTempPath(), $"pruned_classifier_{Guid.NewGuid():N}.onnx");
        try
        {
            pruned.Save(path);
            float[] actual = Compression.Onnx.Tests.RealModels.ClassifierHarness.Probabilities(path, inputs);
            int agree = 0, strokes = 0, strokeAgree = 0, upright = 0;
            for (int n = 0; n < count; n++)
            {
                bool a = expected[2 * n] >= expected[(2 * n) + 1];
                bool same = a == (actual[2 * n] >= actual[(2 * n) + 1]);
                agree += same ? 1 : 0;
                upright += a ? 1 : 0;
                if (n % 3 == 2)
                {
                    strokes++;
                    strokeAgree += same ? 1 : 0;
                }
            }

            return ((double)agree / count, (double)strokeAgree / strokes, upright);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Class agreement and max probability difference over seeded random images in [-1, 1], 1x3x48x192.</summary>
    internal static (double Agreement, double MaxDifference) Agreement(byte[] original, byte[] compressed, int samples)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = 1 };
        using var reference = new InferenceSession(original, options);
        using var candidate = new InferenceSession(compressed, options);
        int agree = 0;
        double maxDifference = 0;
        for (int s = 0; s < samples; s++)
        {
            var input = new[] { NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(Image(s), [1, 3, 48, 192])) };
            using var a = reference.Run(input);
            using var b = candidate.Run(input);
            float[] pa = a[0].AsEnumerable<float>().ToArray();
            float[] pb = b[0].AsEnumerable<float>().ToArray();
            agree += (pa[0] >= pa[1]) == (pb[0] >= pb[1]) ? 1 : 0;
            maxDifference = Math.Max(maxDifference, Math.Abs(pa[0] - pb[0]));
        }

        return ((double)agree / samples, maxDifference);
    }

    /// <summary>Median latency in milliseconds of one 1x3x48x192 run (1 thread).</summary>
    internal static double Latency(byte[] model, int runs)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var input = new[] { NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(Image(0), [1, 3, 48, 192])) };
        var times = new List<double>();
        for (int r = 0; r < runs + 20; r++)
        {
            var clock = Stopwatch.StartNew();
            using var result = session.Run(input);
            if (r >= 20)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Calibration inputs from the shared classifier harness (noise, blobs, stroke images), seeded apart from every evaluation set.</summary>
    internal static IReadOnlyList<IReadOnlyList<NamedOnnxValue>> HarnessCalibration(int count)
    {
        float[] data = Compression.Onnx.Tests.RealModels.ClassifierHarness.SeededInputs(count, seed: 4242);
        int pixels = 3 * 48 * 192;
        return Enumerable.Range(0, count).Select(i => (IReadOnlyList<NamedOnnxValue>)[NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(data.AsSpan(i * pixels, pixels).ToArray(), [1, 3, 48, 192]))]).ToList();
    }

    /// <summary>Calibration images, seeded apart from the evaluation images.</summary>
    internal static IReadOnlyList<IReadOnlyList<NamedOnnxValue>> Calibration(int count) =>
        Enumerable.Range(0, count).Select(i => (IReadOnlyList<NamedOnnxValue>)[NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(Image(50_000 + i), [1, 3, 48, 192]))]).ToList();

    /// <summary>A seeded image: uniform noise for even seeds, smooth low-frequency blobs (more image-like) for odd ones.</summary>
    internal static float[] Image(int seed)
    {
        var random = new Random(1000 + seed);
        if (seed % 2 == 0)
        {
            return Enumerable.Range(0, 3 * 48 * 192).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        }

        float[] coarse = Enumerable.Range(0, 3 * 8 * 8).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var image = new float[3 * 48 * 192];
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < 48; y++)
            {
                for (int x = 0; x < 192; x++)
                {
                    image[(((c * 48) + y) * 192) + x] = coarse[(((c * 8) + (y / 6)) * 8) + (x / 24)];
                }
            }
        }

        return image;
    }
}
