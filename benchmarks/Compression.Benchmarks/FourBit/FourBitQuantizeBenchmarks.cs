using Compression.Onnx;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Compression.Onnx.FourBit;
using Compression.Onnx.IO;

namespace Compression.Benchmarks.FourBit;

/// <summary>
/// Int4 end to end on a 400 MB synthetic MLP (6 layers of 4096 x 4096) against load -> save alone.
/// Goal: Int4 (with the default clip search) within 3x of load -> save.
/// Run: dotnet run -c Release --project benchmarks/Compression.Benchmarks -- --filter '*FourBitQuantize*'
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class FourBitQuantizeBenchmarks
{
    private string _source = string.Empty;
    private string _output = string.Empty;

    [GlobalSetup]
    public void CreateModel()
    {
        _source = SyntheticMlpFiles.Float32(4096, 6);
        _output = Path.Combine(SyntheticMlpFiles.Folder, "quantize-bench-out.onnx");
    }

    [Benchmark(Baseline = true, Description = "load -> save")]
    public void LoadSave()
    {
        using var model = OnnxModel.Load(_source);
        model.Save(_output);
    }

    [Benchmark(Description = "load -> Int4 (clip search) -> save")]
    public void Int4ClipSearch() => Quantize(new FourBitOptions());

    [Benchmark(Description = "load -> Int4 (round-to-nearest) -> save")]
    public void Int4RoundToNearest() => Quantize(new FourBitOptions { SearchScales = false });

    [Benchmark(Description = "load -> UInt4 (clip search) -> save")]
    public void UInt4ClipSearch() => Quantize(new FourBitOptions { Quantize = QuantizationType.UInt4 });

    private void Quantize(FourBitOptions options)
    {
        using var model = OnnxModel.Load(_source);
        new FourBitQuantizer(options).Quantize(model);
        model.Save(_output);
    }
}
