using System.Globalization;
using BenchmarkDotNet.Attributes;
using Compression.Benchmarks.Pruning;
using Compression.Benchmarks.Quantization;
using Compression.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Benchmarks.Conversion;

/// <summary>
/// <c>Format="Ort"</c> against <c>"Onnx"</c>: the time to create an ONNX Runtime session from the compressed file (what
/// an app pays at start-up; default session options, one intra-op thread) for PaddleOCR cls, Silero VAD and the synthetic
/// 4 x 1024 MLP, uncompressed and Int8. The setup prints each file's size (lines starting with <c>SIZE</c>).
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class OrtFormatBenchmarks
{
    private string _path = string.Empty;
    private SessionOptions? _options;

    [Params("ppocr_cls", "silero_vad", "mlp4x1024")]
    public string Model { get; set; } = "ppocr_cls";

    [Params(QuantizationType.None, QuantizationType.Int8)]
    public QuantizationType Quantize { get; set; }

    [Params(ModelFormat.Onnx, ModelFormat.Ort)]
    public ModelFormat Format { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string source = Model switch
        {
            "ppocr_cls" => RealModelInputs.RepositoryModel("ch_ppocr_mobile_v2.0_cls_infer.onnx"),
            "silero_vad" => RealModelInputs.RepositoryModel("silero_vad_v5.onnx"),
            _ => SyntheticModels.Mlp(4, 1024),
        };
        string output = Path.Combine(SyntheticModels.Folder, $"{Model}.{Quantize}.{Format}.onnx");
        _path = ModelCompressor.Compress(source, output, new CompressionSettings { Quantize = Quantize, Format = Format, Validate = false }).OutputPath;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SIZE {Model} {Quantize} {Format}: {new FileInfo(_path).Length} bytes"));
        _options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
    }

    [GlobalCleanup]
    public void Cleanup() => _options?.Dispose();

    [Benchmark]
    public void CreateSession()
    {
        using var session = new InferenceSession(_path, _options);
    }
}
