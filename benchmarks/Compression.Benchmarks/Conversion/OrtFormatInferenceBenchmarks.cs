using System.Globalization;
using BenchmarkDotNet.Attributes;
using Compression.Benchmarks.Pruning;
using Compression.Benchmarks.Quantization;
using Compression.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Benchmarks.Conversion;

/// <summary>
/// One inference (batch 1, one thread) of the compressed model as <c>.onnx</c> and as <c>.ort</c> written at three
/// optimisation levels: <c>OrtAsWritten</c> is what <c>Format="Ort"</c> writes (ONNX Runtime's optimisations off);
/// <c>OrtBasic</c> bakes in the basic level (constant folding and Conv+BatchNorm-style fusions, platform-independent);
/// <c>OrtBasicNoFolding</c> the same without constant folding, so 8-bit weight-only weights stay 8-bit. ONNX Runtime
/// does not optimise an ORT-format model at load as it does an ONNX one, so what the file holds is what runs.
/// The setup prints each file's size (lines starting with <c>SIZE</c>).
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class OrtFormatInferenceBenchmarks
{
    private InferenceSession? _session;
    private RealModelInputs? _inputs;
    private RunOptions? _runOptions;

    public enum Form { Onnx, OrtAsWritten, OrtBasic, OrtBasicNoFolding }

    [Params("ppocr_cls", "silero_vad")]
    public string Model { get; set; } = "ppocr_cls";

    [Params(QuantizationType.None, QuantizationType.Int8)]
    public QuantizationType Quantize { get; set; }

    [Params(Form.Onnx, Form.OrtAsWritten, Form.OrtBasic, Form.OrtBasicNoFolding)]
    public Form Variant { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string source = RealModelInputs.RepositoryModel(Model == "ppocr_cls" ? "ch_ppocr_mobile_v2.0_cls_infer.onnx" : "silero_vad_v5.onnx");
        string onnx = Path.Combine(SyntheticModels.Folder, $"{Model}.{Quantize}.inference.onnx");
        var settings = new CompressionSettings { Quantize = Quantize, Validate = false };
        string path = Variant == Form.OrtAsWritten
            ? ModelCompressor.Compress(source, onnx, settings with { Format = ModelFormat.Ort }).OutputPath
            : ModelCompressor.Compress(source, onnx, settings).OutputPath;
        if (Variant is Form.OrtBasic or Form.OrtBasicNoFolding) path = WriteOrt(path, Variant == Form.OrtBasicNoFolding);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SIZE {Model} {Quantize} {Variant}: {new FileInfo(path).Length} bytes"));
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(path, options);
        _inputs = RealModelInputs.For(Model, _session);
        _runOptions = new RunOptions();
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

    private static string WriteOrt(string onnxPath, bool withoutFolding)
    {
        string ort = Path.ChangeExtension(onnxPath, withoutFolding ? ".basic-nofold.ort" : ".basic.ort");
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC, OptimizedModelFilePath = ort, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        options.AddSessionConfigEntry("session.save_model_format", "ORT");
        if (withoutFolding) options.AddSessionConfigEntry("optimization.disable_specified_optimizers", "ConstantFolding");
        using var session = new InferenceSession(onnxPath, options);
        return ort;
    }
}
