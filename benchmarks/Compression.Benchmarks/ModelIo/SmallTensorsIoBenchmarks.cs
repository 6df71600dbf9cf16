using BenchmarkDotNet.Attributes;
using Compression.Onnx.IO;

namespace Compression.Benchmarks.ModelIo;

/// <summary>Load + save of a model with 10,000 small initializers (256 floats each, about 10 MB) against a plain file copy.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class SmallTensorsIoBenchmarks
{
    private string _folder = string.Empty;
    private string _model = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _folder = SyntheticModels.CreateWorkFolder("cmp-bench-small-");
        _model = Path.Combine(_folder, "small.onnx");
        SyntheticModels.Write(SyntheticModels.Chain(10_000, 256, seed: 2), _model);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true, Description = "File.ReadAllBytes + WriteAllBytes (10,000 tensors)")]
    public void FileCopy() => File.WriteAllBytes(Path.Combine(_folder, "copy.onnx"), File.ReadAllBytes(_model));

    [Benchmark(Description = "OnnxModel.Load + Save (10,000 tensors)")]
    public void LoadSave()
    {
        using OnnxModel model = OnnxModel.Load(_model);
        model.Save(Path.Combine(_folder, "saved.onnx"));
    }
}
