using System.Globalization;
using BenchmarkDotNet.Attributes;
using Compression.Benchmarks.Pruning;
using Compression.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Benchmarks.Quantization;

/// <summary>
/// <c>Quantize="Int8"</c> with <c>WeightRange="Portable"</c> (7-bit integer-op weights, the default) against
/// <c>"Full"</c> (8-bit) and fp32: ONNX Runtime latency (batch 1, 1 thread) on the synthetic 4 x 4096 MLP, PaddleOCR
/// cls and Silero VAD, and a worst-case 512 x 512 MatMul (weights at ±max of their column, large positive inputs). The setup prints each form's accuracy against fp32 (lines starting with <c>ACCURACY</c>: cosine
/// and max |d| over seeded inputs) because BenchmarkDotNet's table only has times. The figures depend on the CPU's
/// integer kernels (docs/cpu-portability.md): state the ISA with the numbers.
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class WeightRangeBenchmarks
{
    private InferenceSession? _session;
    private RealModelInputs? _inputs;
    private RunOptions? _runOptions;

    public enum Form { Fp32, Int8Portable, Int8Full }

    [Params("worstcase512", "mlp4x4096", "ppocr_cls", "silero_vad")]
    public string Model { get; set; } = "mlp4x4096";

    [Params(Form.Fp32, Form.Int8Portable, Form.Int8Full)]
    public Form Variant { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string source = Source(Model);
        string path = Prepare(source, Variant);
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(path, options);
        _inputs = RealModelInputs.For(Model, _session);
        _runOptions = new RunOptions();
        if (Variant != Form.Fp32)
        {
            var (cosine, maxAbs, count) = RealModelInputs.Compare(Model, source, path);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ACCURACY {Model} {Variant}: cosine {cosine:F6}, max |d| {maxAbs:G4} over {count} outputs"));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session?.Dispose();
        _inputs?.Dispose();
        _runOptions?.Dispose();
    }

    [Benchmark]
    public void Run()
    {
        using var outputs = _session!.Run(_runOptions, _inputs!.Names, _inputs.Values, _session.OutputNames);
    }

    private static string Source(string model) => model switch
    {
        "worstcase512" => SyntheticModels.WorstCaseMatMul(512),
        "mlp4x4096" => SyntheticModels.Mlp(4, 4096),
        "ppocr_cls" => RealModelInputs.RepositoryModel("ch_ppocr_mobile_v2.0_cls_infer.onnx"),
        _ => RealModelInputs.RepositoryModel("silero_vad_v5.onnx"),
    };

    private static string Prepare(string source, Form form)
    {
        if (form == Form.Fp32) return source;
        var range = form == Form.Int8Full ? WeightRange.Full : WeightRange.Portable;
        string path = Path.Combine(SyntheticModels.Folder, Path.GetFileNameWithoutExtension(source) + "." + form + ".onnx");
        ModelCompressor.Compress(source, path, new CompressionSettings { Quantize = QuantizationType.Int8, WeightRange = range, Validate = false });
        return path;
    }
}
