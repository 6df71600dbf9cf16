using Compression.Onnx.Tests.Pipeline;
using Compression.Onnx.Tests.Validation;
using Compression.Testing;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Compression.Onnx.Tests.Quantization;

/// <summary>
/// Every <c>pytorch-converted</c> / <c>pytorch-operator</c> model of the ONNX backend corpus (libonnx-testdata) that has
/// a quantizable op, compressed with each setting: the result must pass onnx.checker, run in ONNX Runtime and match
/// the corpus's expected outputs (the original's, from PyTorch) within a relative error and cosine bound per setting
/// (see <see cref="Settings"/>). The corpus weights are tiny, so the element
/// threshold is 1 to exercise every weight.
/// </summary>
[TestClass]
public sealed class CorpusTests
{
    private static readonly string[] QuantizableOps = ["MatMul", "Gemm", "Conv", "ConvTranspose", "Gather", "LSTM", "GRU", "RNN"];

    // Bounds per setting, from what each rounding can do to an output: relative error = ||expected - actual|| /
    // ||expected|| over each output of each test set, and cosine. Float16 rounds each weight to 11 significant bits
    // (relative error <= 2^-11 = 4.9e-4 per weight), BFloat16 to 8 (2^-8 = 3.9e-3); a sum of rounded products keeps
    // that relative size unless it cancels, so the bounds are ~8x the unit roundoff (the corpus's expected outputs
    // come from PyTorch in float32, ~1e-6 off on their own). Int8 weight-only (symmetric per channel) errs by at most
    // absmax/254 per weight, an RMS of ~0.7% of the weights' RMS for bell-shaped weights: bound 3%. Dynamic also
    // rounds the activations to 8 bits per tensor, about as much again: bound 5%. Cosine ~1 - (relative error)^2 / 2,
    // rounded down. Measured on AVX2 (worst model): Int8 and UInt8 Dynamic 0.0088 / 0.0045, Int8 WeightOnly 0.0088,
    // Float16 0.00044. Every corpus model with a weight is opset < 7, so BFloat16 is refused there (CMP4006, asserted
    // below); its accuracy is held on the classifier (RealModels/TextDirectionClassifierTests).
    public static IEnumerable<object[]> Settings =>
    [
        [QuantizationType.Int8, QuantizationMode.Dynamic, 0.05, 0.998],
        [QuantizationType.UInt8, QuantizationMode.Dynamic, 0.05, 0.998],
        [QuantizationType.Int8, QuantizationMode.WeightOnly, 0.03, 0.999],
        [QuantizationType.Float16, QuantizationMode.WeightOnly, 0.004, 0.99999],
        [QuantizationType.BFloat16, QuantizationMode.WeightOnly, 0.03, 0.9995],
    ];

    [TestMethod]
    [DynamicData(nameof(Settings))]
    public void Every_quantizable_corpus_model_compresses_runs_and_matches(QuantizationType type, QuantizationMode mode, double maxRelativeError, double minCosine)
    {
        string corpusRoot = Corpus.CorpusModel.Root;
        if (!Requirement.Require(Directory.Exists(corpusRoot), "libonnx-testdata (" + corpusRoot + ")", "apt-get install libonnx-testdata, or set ONNX_TESTDATA")) return;
        bool checker = Requirement.Require(OnnxChecker.IsAvailable, "python3-onnx (onnx.checker)");
        string temp = PassTestFiles.NewTempDirectory();
        var failures = new List<string>();
        int tested = 0, exceptions = 0;
        double worstCosine = 1, worstRelative = 0;
        var outputs = new List<string>();
        foreach (string dir in Directory.GetDirectories(Path.Combine(corpusRoot, "pytorch-converted")).Concat(Directory.GetDirectories(Path.Combine(corpusRoot, "pytorch-operator"))).Order(StringComparer.Ordinal))
        {
            string model = Path.Combine(dir, "model.onnx");
            if (!File.Exists(model) || !HasQuantizableOpWithWeight(model)) continue;
            string name = Path.GetFileName(dir);
            if (OriginalFailsInOnnxRuntime(model) is { } reason)
            {
                Console.WriteLine($"not comparable: {name}: the original does not run in ONNX Runtime ({reason})");
                continue;
            }

            if (type == QuantizationType.BFloat16 && Opset(model) < 7)
            {
                AssertCode(DiagnosticCodes.OpsetTooOld, () => ModelCompressor.Compress(model, Path.Combine(temp, name + ".onnx"), new CompressionSettings { Quantize = type, Mode = mode, MinimumWeightElements = 1, Validate = false }));
                exceptions++;
                continue;
            }

            string output = Path.Combine(temp, name + ".onnx");
            try
            {
                ModelCompressor.Compress(model, output, new CompressionSettings { Quantize = type, Mode = mode, MinimumWeightElements = 1, Validate = false });
                tested++;
                outputs.Add(output);
                var (cosine, relative) = WorstAgainstExpected(output, dir);
                worstCosine = Math.Min(worstCosine, cosine);
                worstRelative = Math.Max(worstRelative, relative);
                if (!(cosine >= minCosine) || !(relative <= maxRelativeError)) failures.Add($"{name}: cosine {cosine:G6}, relative error {relative:G3}");
            }
            catch (Exception e) when (e is CompressionException or OnnxRuntimeException)
            {
                failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }
        }

        if (checker)
        {
            foreach (var (path, problem) in OnnxChecker.CheckAll(outputs)) failures.Add($"{Path.GetFileName(path)}: onnx.checker: {problem}");
        }

        Console.WriteLine($"{type} {mode}: {tested} corpus models compressed, {failures.Count} failures, {exceptions} refused with CMP4006 (BFloat16 before opset 7); worst cosine {worstCosine:G6}, worst relative error {worstRelative:G3}");
        Assert.IsGreaterThan(20, tested + exceptions);
        Assert.IsEmpty(failures, string.Join(Environment.NewLine, failures));
    }

    private static string? OriginalFailsInOnnxRuntime(string path)
    {
        try
        {
            using var session = new InferenceSession(path);
            return null;
        }
        catch (OnnxRuntimeException e)
        {
            return e.Message.Split('\n')[0];
        }
    }

    private static long Opset(string path) =>
        ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).OpsetImport.First(o => o.Domain.Length == 0).Version;

    private static void AssertCode(string code, Action action)
    {
        var e = Assert.ThrowsExactly<CompressionException>(action);
        Assert.AreEqual(code, e.Code);
    }

    /// <summary>A quantizable op reading an initializer or Constant (corpus models whose weights are graph inputs only are skipped).</summary>
    private static bool HasQuantizableOpWithWeight(string path)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var constants = new HashSet<string>(model.Graph.Initializer.Select(i => i.Name));
        foreach (var n in model.Graph.Node) if (n.OpType == "Constant") constants.UnionWith(n.Output);
        return model.Graph.Node.Any(n => QuantizableOps.Contains(n.OpType) && n.Input.Any(constants.Contains));
    }

    private static (double Cosine, double RelativeError) WorstAgainstExpected(string modelPath, string testDir)
    {
        using var session = new InferenceSession(modelPath);
        double min = 1, relative = 0;
        foreach (string set in Directory.GetDirectories(testDir, "test_data_set_*"))
        {
            var inputs = new List<OrtValue>();
            var names = new List<string>();
            try
            {
                for (int i = 0; File.Exists(Path.Combine(set, $"input_{i}.pb")); i++)
                {
                    var t = TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(set, $"input_{i}.pb")));
                    names.Add(session.InputNames[i]);
                    inputs.Add(ToOrtValue(t));
                }

                using var runOptions = new RunOptions();
                using var results = session.Run(runOptions, names, inputs, session.OutputNames);
                for (int o = 0; o < results.Count; o++)
                {
                    var expected = TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(set, $"output_{o}.pb")));
                    float[] want = Floats(expected).Select(d => (float)d).ToArray();
                    float[] got = ModelValidator.ToDoubles(results[o]).Select(d => (float)d).ToArray();
                    if (want.Length != got.Length) return (double.NaN, double.PositiveInfinity);
                    var closeness = Closeness.Measure(want, got);
                    min = Math.Min(min, closeness.Cosine);
                    relative = Math.Max(relative, closeness.RelativeError);
                }
            }
            finally
            {
                foreach (var v in inputs) v.Dispose();
            }
        }

        return (min, relative);
    }

    private static OrtValue ToOrtValue(TensorProto t)
    {
        long[] shape = [.. t.Dims];
        return t.DataType switch
        {
            (int)TensorProto.Types.DataType.Float => OrtValue.CreateTensorValueFromMemory(Floats(t).Select(d => (float)d).ToArray(), shape),
            (int)TensorProto.Types.DataType.Int64 => OrtValue.CreateTensorValueFromMemory(t.RawData.IsEmpty ? [.. t.Int64Data] : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(t.RawData.Span).ToArray(), shape),
            _ => throw new NotSupportedException("corpus input type " + t.DataType),
        };
    }

    private static double[] Floats(TensorProto t) =>
        t.RawData.IsEmpty ? t.FloatData.Select(f => (double)f).ToArray() : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray().Select(f => (double)f).ToArray();
}
