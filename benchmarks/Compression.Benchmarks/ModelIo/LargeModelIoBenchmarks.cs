using BenchmarkDotNet.Attributes;
using Compression.Onnx.IO;

namespace Compression.Benchmarks.ModelIo;

/// <summary>
/// Load + save of a 400 MB model (four 100 MB float initializers) against a plain file copy
/// (<see cref="File.ReadAllBytes"/> + <see cref="File.WriteAllBytes"/>) of the same file, and of the
/// same weights as external data (which stay memory-mapped, out of the managed heap).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class LargeModelIoBenchmarks
{
    private const int Tensors = 4;
    private const int ElementsPerTensor = 25 * 1024 * 1024; // 100 MiB of floats each

    private string _folder = string.Empty;
    private string _inline = string.Empty;
    private string _external = string.Empty;
    private string _output = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _folder = SyntheticModels.CreateWorkFolder("cmp-bench-large-");
        _inline = Path.Combine(_folder, "large.onnx");
        _external = Path.Combine(_folder, "external", "large.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(_external)!);
        _output = Path.Combine(_folder, "out");
        Directory.CreateDirectory(_output);
        var model = SyntheticModels.Chain(Tensors, ElementsPerTensor, seed: 1);
        SyntheticModels.Write(model, _inline);
        SyntheticModels.WriteExternal(model, _external);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true, Description = "File.ReadAllBytes + WriteAllBytes (400 MB)")]
    public void FileCopy() => File.WriteAllBytes(Path.Combine(_output, "copy.onnx"), File.ReadAllBytes(_inline));

    [Benchmark(Description = "OnnxModel.Load + Save (400 MB inline)")]
    public void LoadSave()
    {
        using OnnxModel model = OnnxModel.Load(_inline);
        model.Save(Path.Combine(_output, "saved.onnx"));
    }

    [Benchmark(Description = "OnnxModel.Load + Save (400 MB external data)")]
    public void LoadSaveExternal()
    {
        using OnnxModel model = OnnxModel.Load(_external);
        model.Save(Path.Combine(_output, "saved_external.onnx"));
    }
}
