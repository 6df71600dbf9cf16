using System.Diagnostics;
using Compression.Onnx.IO;
using Compression.Onnx.Pruning;
using Compression.Onnx.Tests.IO;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Onnx.Tests.Pruning;

[TestClass]
public sealed class CorpusAndSileroPruningTests
{
    private const string Corpus = "/usr/share/libonnx-testdata/data/pytorch-converted";

    private static bool RequireOrSkip(bool available, string what)
    {
        if (available)
        {
            return true;
        }

        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(what + " is missing on CI.");
        }

        Console.WriteLine(what + " is not installed; nothing checked.");
        return false;
    }

    /// <summary>
    /// Every pytorch-converted corpus model, pruned by magnitude (sparse storage) and by channels where it has
    /// prunable channels, still loads and runs in ONNX Runtime on its own test inputs and passes onnx.checker.
    /// </summary>
    [TestMethod]
    public void PrunedCorpusModelsRunAndPassTheChecker()
    {
        if (!RequireOrSkip(Directory.Exists(Corpus), "libonnx-testdata") || !RequireOrSkip(File.Exists("/usr/bin/python3"), "python3-onnx"))
        {
            return;
        }

        string folder = Directory.CreateTempSubdirectory("pruned-corpus").FullName;
        int magnitude = 0, channel = 0, ran = 0;
        try
        {
            foreach (string modelPath in Directory.GetFiles(Corpus, "model.onnx", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                string test = Path.GetFileName(Path.GetDirectoryName(modelPath)!);
                string dataSet = Path.Combine(Path.GetDirectoryName(modelPath)!, "test_data_set_0");
                bool runnable = true;
                try
                {
                    RunsOnItsInputs(modelPath, dataSet);
                }
                catch (Exception e) when (e is OnnxRuntimeException or CompressionException)
                {
                    // This ONNX Runtime cannot run the original (most of the corpus is opset 6, e.g. Mul-6): checker only.
                    runnable = false;
                }

                foreach (string mode in new[] { "magnitude", "channel" })
                {
                    using OnnxModel model = OnnxModel.Load(modelPath);
                    try
                    {
                        if (mode == "magnitude")
                        {
                            new MagnitudePruner(0.8) { Scope = new PruningScope { MinimumElements = 1 } }.Prune(model);
                            magnitude++;
                        }
                        else
                        {
                            new ChannelPruner(0.5) { MinimumGroupChannels = 1 }.Prune(model);
                            channel++;
                        }
                    }
                    catch (CompressionException e) when (e.Code is "CMP4602" or "CMP4603")
                    {
                        continue;
                    }

                    string output = Path.Combine(folder, $"{test}_{mode}.onnx");
                    model.Save(output);
                    if (runnable)
                    {
                        RunsOnItsInputs(output, dataSet);
                        ran++;
                    }
                }
            }

            string check = string.Join("; ", Directory.GetFiles(folder, "*.onnx").Select(f => $"onnx.checker.check_model(onnx.load('{f}'))"));
            var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import onnx; " + check]) { RedirectStandardError = true })!;
            string errors = python.StandardError.ReadToEnd();
            python.WaitForExit();
            Assert.AreEqual(0, python.ExitCode, errors);
            Console.WriteLine($"{magnitude} magnitude-pruned and {channel} channel-pruned corpus models pass onnx.checker; {ran} of them (those whose original ONNX Runtime can run) run.");
            Assert.IsGreaterThan(20, magnitude);
            Assert.IsGreaterThan(25, ran);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void RunsOnItsInputs(string modelPath, string dataSet)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(modelPath, options);
        var inputs = new List<NamedOnnxValue>();
        string[] files = Directory.GetFiles(dataSet, "input_*.pb").Order(StringComparer.Ordinal).ToArray();
        for (int i = 0; i < files.Length && i < session.InputNames.Count; i++)
        {
            var tensor = global::Onnx.TensorProto.Parser.ParseFrom(File.ReadAllBytes(files[i]));
            int[] dims = tensor.Dims.Select(d => (int)d).ToArray();
            inputs.Add(tensor.DataType == (int)global::Onnx.TensorProto.Types.DataType.Int64
                ? NamedOnnxValue.CreateFromTensor(session.InputNames[i], new DenseTensor<long>(Compression.Onnx.Tensors.TensorData.ReadInt64s(tensor), dims))
                : NamedOnnxValue.CreateFromTensor(session.InputNames[i], new DenseTensor<float>(Compression.Onnx.Tensors.TensorData.ReadFloats(tensor), dims)));
        }

        using var results = session.Run(inputs);
        Assert.IsNotEmpty(results, modelPath);
    }

    /// <summary>Silero VAD through the pipeline: magnitude pruning (alone and before Int8), deflate size and speech decisions vs the original.</summary>
    [TestMethod]
    [DataRow("Unstructured", "None", 0.5)]
    [DataRow("Global", "None", 0.5)]
    [DataRow("Unstructured", "Int8", 0.5)]
    public void SileroKeepsItsSpeechDecisions(string pruning, string quantize, double sparsity)
    {
        string source = TestFiles.Model("silero_vad_v5.onnx");
        string output = Path.Combine(Path.GetTempPath(), $"silero_{pruning}_{quantize}_{Guid.NewGuid():N}.onnx");
        try
        {
            var settings = new CompressionSettings
            {
                Sparsity = sparsity,
                Pruning = Enum.Parse<PruningMethod>(pruning),
                Quantize = Enum.Parse<QuantizationType>(quantize),
                Validate = false,
            };
            CompressionReport report = ModelCompressor.Compress(source, output, settings);
            long originalDeflated = ModelSize.Deflated(File.ReadAllBytes(source));
            long deflated = ModelSize.Deflated(File.ReadAllBytes(output));
            double agreement = SpeechAgreement(source, output, 300);
            Console.WriteLine($"Silero {pruning} {sparsity:P0} + {quantize}: {report}; deflated {originalDeflated} -> {deflated} B; speech decisions agree {agreement:P1}");
            Assert.IsLessThan(originalDeflated * 0.85, deflated);
            Assert.IsGreaterThanOrEqualTo(0.9, agreement);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Fraction of 512-sample windows (state carried) where both models agree on speech (p &gt; 0.5), over a seeded signal of tone bursts and noise.</summary>
    internal static double SpeechAgreement(string original, string compressed, int windows)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = 1 };
        using var a = new InferenceSession(original, options);
        using var b = new InferenceSession(compressed, options);
        var random = new Random(21);
        float[] stateA = new float[256], stateB = new float[256];
        int agree = 0;
        for (int w = 0; w < windows; w++)
        {
            bool voiced = (w / 20) % 2 == 1;
            var window = new float[512];
            for (int i = 0; i < 512; i++)
            {
                double t = ((w * 512) + i) / 16000.0;
                double voice = voiced ? (0.3 * Math.Sin(2 * Math.PI * 180 * t) * (1 + Math.Sin(2 * Math.PI * 4 * t))) + (0.15 * Math.Sin(2 * Math.PI * 720 * t)) : 0;
                window[i] = (float)(voice + (0.02 * ((random.NextDouble() * 2) - 1)));
            }

            (float pa, stateA) = Step(a, window, stateA);
            (float pb, stateB) = Step(b, window, stateB);
            agree += (pa > 0.5f) == (pb > 0.5f) ? 1 : 0;
        }

        return (double)agree / windows;
    }

    private static (float Probability, float[] State) Step(InferenceSession session, float[] window, float[] state)
    {
        var inputs = new[]
        {
            OnnxRunner.Float("input", window, 1, 512),
            OnnxRunner.Float("state", state, 2, 1, 128),
            OnnxRunner.Int64("sr", [16000]),
        };
        using var results = session.Run(inputs);
        return (results[0].AsEnumerable<float>().First(), results[1].AsEnumerable<float>().ToArray());
    }
}
