using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Benchmarks.FourBit;

/// <summary>
/// ONNX Runtime (1 thread) on a 4-layer 4096-wide MLP (268 MB fp32): fp32 MatMul, int8 DynamicQuantizeMatMul,
/// and Int4 MatMulNBits (block 32) at accuracy levels 0 (unset), 1 (fp32), 4 (int8); batch 1 and 32.
/// Goal: Int4 at least 3.5x faster than fp32 at batch 1.
/// Run: dotnet run -c Release --project benchmarks/Compression.Benchmarks -- --filter '*FourBitInference*'
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class FourBitInferenceBenchmarks
{
    private const int Width = 4096;
    private const int Layers = 4;
    private InferenceSession? _session;
    private OrtValue? _input;
    private RunOptions? _runOptions;

    [Params("fp32", "int8", "int4-acc0", "int4-acc1", "int4-acc4")]
    public string Form { get; set; } = "fp32";

    [Params(1, 32)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Load()
    {
        string path = Form switch
        {
            "fp32" => SyntheticMlpFiles.Float32(Width, Layers),
            "int8" => SyntheticMlpFiles.Int8(Width, Layers),
            _ => SyntheticMlpFiles.Int4(Width, Layers, int.Parse(Form[^1..], System.Globalization.CultureInfo.InvariantCulture)),
        };
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(path, options);
        var random = new Random(1);
        float[] x = Enumerable.Range(0, Batch * Width).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        _input = OrtValue.CreateTensorValueFromMemory(x, [Batch, Width]);
        _runOptions = new RunOptions();
    }

    [Benchmark]
    public int Run()
    {
        using var outputs = _session!.Run(_runOptions!, ["x"], [_input!], ["y"]);
        return outputs.Count;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _session?.Dispose();
        _input?.Dispose();
        _runOptions?.Dispose();
    }
}
