using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Benchmarks.Generated;

/// <summary>
/// One Silero VAD v5 window (batch 1, 512 samples at 16 kHz): the generated wrapper against the best ONNX Runtime
/// code written by hand. Every variant uses one intra-op thread and the same inputs, so the differences are the
/// call overhead. Run: dotnet run -c Release --project benchmarks/Compression.Benchmarks -- --filter '*VadWrapper*'
/// </summary>
[MemoryDiagnoser]
public class VadWrapperBenchmarks : IDisposable
{
    private static readonly string[] InputNames = ["input", "state", "sr"];
    private static readonly string[] OutputNames = ["output", "stateN"];

    private readonly float[] _window = new float[512];
    private readonly float[] _state = new float[2 * 1 * 128];
    private readonly long[] _sampleRate = [16000];
    private readonly float[] _output = new float[1];
    private readonly float[] _stateN = new float[2 * 1 * 128];

    private SessionOptions _options = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private OrtValue[] _inputValues = null!;
    private OrtValue[] _outputValues = null!;
    private OrtIoBinding _ioBinding = null!;
    private SileroVadV5 _vad = null!;
    private SileroVadV5.Binding _binding = null!;

    private static string ModelPath => Path.Combine(AppContext.BaseDirectory, "models", "silero_vad_v5.onnx");

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < _window.Length; i++)
        {
            _window[i] = 0.3f * MathF.Sin(i * 0.05f);
        }

        _options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(ModelPath, _options);
        _runOptions = new RunOptions();
        _inputValues =
        [
            OrtValue.CreateTensorValueFromMemory(_window, [1, 512]),
            OrtValue.CreateTensorValueFromMemory(_state, [2, 1, 128]),
            OrtValue.CreateTensorValueFromMemory(_sampleRate, []),
        ];
        _outputValues =
        [
            OrtValue.CreateTensorValueFromMemory(_output, [1, 1]),
            OrtValue.CreateTensorValueFromMemory(_stateN, [2, 1, 128]),
        ];
        _ioBinding = _session.CreateIoBinding();
        for (var i = 0; i < InputNames.Length; i++)
        {
            _ioBinding.BindInput(InputNames[i], _inputValues[i]);
        }

        for (var i = 0; i < OutputNames.Length; i++)
        {
            _ioBinding.BindOutput(OutputNames[i], _outputValues[i]);
        }

        _vad = SileroVadV5.FromFile(ModelPath, _options);
        _binding = _vad.Bind(_inputValues[0], _inputValues[1], _inputValues[2], _outputValues[0], _outputValues[1]);
    }

    /// <summary>Hand-written, best case: values bound once with OrtIoBinding, RunWithBinding per window.</summary>
    [Benchmark(Baseline = true)]
    public float HandWrittenIoBinding()
    {
        _session.RunWithBinding(_runOptions, _ioBinding);
        return _output[0];
    }

    /// <summary>Hand-written: pre-created OrtValues and cached names, Run into caller-provided outputs.</summary>
    [Benchmark]
    public float HandWrittenOrtValueRun()
    {
        _session.Run(_runOptions, InputNames, _inputValues, OutputNames, _outputValues);
        return _output[0];
    }

    /// <summary>Generated allocation-free path: <c>SileroVadV5.Binding.Run()</c>.</summary>
    [Benchmark]
    public float GeneratedBindingRun()
    {
        _binding.Run();
        return _output[0];
    }

    /// <summary>Hand-written equivalent of the convenience path: OrtValues per call, outputs copied to arrays.</summary>
    [Benchmark]
    public float HandWrittenPerCall()
    {
        using var input = OrtValue.CreateTensorValueFromMemory(_window, [1, 512]);
        using var state = OrtValue.CreateTensorValueFromMemory(_state, [2, 1, 128]);
        using var sampleRate = OrtValue.CreateTensorValueFromMemory(new long[] { 16000 }, []);
        using var outputs = _session.Run(_runOptions, InputNames, [input, state, sampleRate], OutputNames);
        float[]? probability = null;
        foreach (var output in outputs)
        {
            var data = output.GetTensorDataAsSpan<float>().ToArray();
            probability ??= data;
        }

        return probability![0];
    }

    /// <summary>Generated convenience path: <c>vad.Run(window, state, 16000, inputShape)</c>, results copied to managed arrays.</summary>
    [Benchmark]
    public float GeneratedRun() => _vad.Run(_window, _state, 16000, inputShape: [1, 512]).Output[0];

    [GlobalCleanup]
    public void Dispose()
    {
        _binding?.Dispose();
        _vad?.Dispose();
        _ioBinding?.Dispose();
        foreach (var value in (_inputValues ?? []).Concat(_outputValues ?? []))
        {
            value.Dispose();
        }

        _runOptions?.Dispose();
        _session?.Dispose();
        _options?.Dispose();
        GC.SuppressFinalize(this);
    }
}
