using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Compression.Onnx;
using Compression.Onnx.IO;

namespace Compression.Benchmarks.Quantization;

/// <summary>
/// End to end on a ~400 MB fp32 MLP (6 x 4096x4096 MatMul): load -> save (baseline) vs load -> Int8 -> save and
/// load -> Float16 -> save, validation off. Peak working set of the benchmark process is printed at cleanup.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class CompressionEndToEndBenchmarks
{
    private string _source = string.Empty;
    private string _output = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _source = SyntheticModels.Mlp(layers: 6, width: 4096);
        _output = Path.Combine(SyntheticModels.Folder, "e2e_out_" + Environment.ProcessId + ".onnx");
    }

    [Benchmark(Baseline = true)]
    public void LoadSave()
    {
        using var model = OnnxModel.Load(_source);
        model.Save(_output);
    }

    [Benchmark]
    public CompressionReport LoadInt8Save() =>
        ModelCompressor.Compress(_source, _output, new CompressionSettings { Quantize = QuantizationType.Int8, Validate = false });

    [Benchmark]
    public CompressionReport LoadFloat16Save() =>
        ModelCompressor.Compress(_source, _output, new CompressionSettings { Quantize = QuantizationType.Float16, Validate = false });

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:0} MB (model {new FileInfo(_source).Length / 1e6:0} MB)");
        File.Delete(_output);
    }
}
