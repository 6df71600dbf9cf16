using Compression.Onnx.Tests.Pipeline;
using Compression.Onnx.Tests.Validation;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Compression.Onnx.Tests.Quantization;

/// <summary>
/// Every <c>pytorch-converted</c> / <c>pytorch-operator</c> model of the ONNX backend corpus (libonnx-testdata) that has
/// a quantizable op, compressed with each setting: the result must pass onnx.checker, run in ONNX Runtime and match
/// the corpus's expected outputs with cosine similarity >= 0.99. The corpus weights are tiny, so the element
/// threshold is 1 to exercise every weight.
/// </summary>
[TestClass]
public sealed class CorpusTests
{
    private const string CorpusRoot = "/usr/share/libonnx-testdata/data";
    private static readonly string[] QuantizableOps = ["MatMul", "Gemm", "Conv", "ConvTranspose", "Gather", "LSTM", "GRU", "RNN"];

    public static IEnumerable<object[]> Settings =>
    [
        [QuantizationType.Int8, QuantizationMode.Dynamic],
        [QuantizationType.UInt8, QuantizationMode.Dynamic],
        [QuantizationType.Int8, QuantizationMode.WeightOnly],
        [QuantizationType.Float16, QuantizationMode.WeightOnly],
        [QuantizationType.BFloat16, QuantizationMode.WeightOnly],
    ];

    [TestMethod]
    [DynamicData(nameof(Settings))]
    public void Every_quantizable_corpus_model_compresses_runs_and_matches(QuantizationType type, QuantizationMode mode)
    {
        if (!Corpus.Requirement.Require(Directory.Exists(CorpusRoot), "libonnx-testdata (" + CorpusRoot + ")")) return;
        bool checker = Corpus.Requirement.Require(OnnxChecker.IsAvailable, "python3-onnx (onnx.checker)");
        string temp = PassTestFiles.NewTempDirectory();
        var failures = new List<string>();
        int tested = 0, exceptions = 0;
        var outputs = new List<string>();
        foreach (string dir in Directory.GetDirectories(Path.Combine(CorpusRoot, "pytorch-converted")).Concat(Directory.GetDirectories(Path.Combine(CorpusRoot, "pytorch-operator"))).Order(StringComparer.Ordinal))
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
                double cosine = MinCosineAgainstExpected(output, dir);
                if (!(cosine >= 0.99)) failures.Add($"{name}: cosine {cosine:G4}");
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

        Console.WriteLine($"{type} {mode}: {tested} corpus models compressed, {failures.Count} failures, {exceptions} refused with CMP4006 (BFloat16 before opset 7)");
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

    private static double MinCosineAgainstExpected(string modelPath, string testDir)
    {
        using var session = new InferenceSession(modelPath);
        double min = 1;
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
                    double[] want = Floats(expected);
                    double[] got = ModelValidator.ToDoubles(results[o]);
                    min = Math.Min(min, Cosine(want, got));
                }
            }
            finally
            {
                foreach (var v in inputs) v.Dispose();
            }
        }

        return min;
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

    private static double Cosine(double[] a, double[] b)
    {
        if (a.Length != b.Length) return double.NaN;
        double dot = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++) { dot += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
        return aa == 0 && bb == 0 ? 1 : dot / Math.Sqrt(aa * bb);
    }
}
