using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Compression.Onnx;
using Compression.Onnx.Quantization;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Benchmarks.Quantization;

/// <summary>
/// ONNX Runtime (CPU) inference of the compressed forms: fp32, Int8 dynamic with plain ONNX ops
/// (DynamicQuantizeLinear + MatMulInteger), Int8 dynamic with com.microsoft DynamicQuantizeMatMul, Int8 weight-only,
/// Float16 weight-only; on a 4 x 4096 MLP and a transformer-like block (width 768), batch 1 and 32, 1 and 2 threads.
/// </summary>
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class InferenceBenchmarks
{
    private InferenceSession? _session;
    private OrtValue? _input;
    private RunOptions? _runOptions;
    private string[] _inputNames = [];
    private string[] _outputNames = [];

    public enum Form { Fp32, Int8Plain, Int8Fused, Int8WeightOnly, Int8WeightOnlyDequantizeLinear, Float16WeightOnly }

    [Params("mlp4x4096", "block768")]
    public string Model { get; set; } = "mlp4x4096";

    [Params(Form.Fp32, Form.Int8Plain, Form.Int8Fused, Form.Int8WeightOnly, Form.Int8WeightOnlyDequantizeLinear, Form.Float16WeightOnly)]
    public Form Variant { get; set; }

    [Params(1, 32)]
    public int Batch { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (string source, int width) = Model == "mlp4x4096" ? (SyntheticModels.Mlp(4, 4096), 4096) : (SyntheticModels.TransformerBlock(768), 768);
        string path = Prepare(source, Variant);
        var options = new SessionOptions { IntraOpNumThreads = Threads, InterOpNumThreads = 1 };
        _session = new InferenceSession(path, options);
        var x = new float[Batch * width];
        var random = new Random(1);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        _input = OrtValue.CreateTensorValueFromMemory(x, [Batch, width]);
        _runOptions = new RunOptions();
        _inputNames = [.. _session.InputNames];
        _outputNames = [.. _session.OutputNames];
    }

    [Benchmark]
    public void Run()
    {
        using var outputs = _session!.Run(_runOptions, _inputNames, [_input!], _outputNames);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session?.Dispose();
        _input?.Dispose();
        _runOptions?.Dispose();
    }

    private static string Prepare(string source, Form form)
    {
        if (form == Form.Fp32) return source;
        string path = Path.ChangeExtension(source, "." + form + ".onnx");
        if (File.Exists(path)) return path;
        var settings = form switch
        {
            Form.Int8Plain or Form.Int8Fused => new CompressionSettings
            {
                Quantize = QuantizationType.Int8,
                Validate = false,
                MatMulForm = form == Form.Int8Fused ? IntegerMatMulForm.Fused : IntegerMatMulForm.Plain,
            },
            Form.Int8WeightOnly or Form.Int8WeightOnlyDequantizeLinear => new CompressionSettings
            {
                Quantize = QuantizationType.Int8,
                Mode = QuantizationMode.WeightOnly,
                Validate = false,
                WeightOnlyForm = form == Form.Int8WeightOnlyDequantizeLinear ? WeightOnlyForm.DequantizeLinear : WeightOnlyForm.Foldable,
            },
            _ => new CompressionSettings { Quantize = QuantizationType.Float16, Validate = false },
        };
        ModelCompressor.Compress(source, path, settings);

        return path;
    }
}
