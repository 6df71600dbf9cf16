using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Compression.Kernels;
using Compression.Onnx.Pruning;

namespace Compression.Benchmarks.Pruning;

/// <summary>
/// Global magnitude selection over 400 MB of weights (100 tensors of 1M floats) against one read pass over them
/// (sum of magnitudes). Goal: selection within 1.5x of the read pass (radix histogram, no sort).
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class GlobalThresholdBenchmarks
{
    private float[][] _tensors = [];
    private ReadOnlyMemory<float>[] _memories = [];
    private long _count;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        _tensors = new float[100][];
        for (int t = 0; t < _tensors.Length; t++)
        {
            float scale = (float)(0.01 + random.NextDouble());
            _tensors[t] = new float[1 << 20];
            for (int i = 0; i < _tensors[t].Length; i++)
            {
                _tensors[t][i] = (float)((random.NextDouble() * 2) - 1) * scale;
            }
        }

        _memories = _tensors.Select(t => (ReadOnlyMemory<float>)t).ToArray();
        _count = (long)(0.5 * _tensors.Sum(t => (long)t.Length));
    }

    [Benchmark(Baseline = true, Description = "one read pass (sum |w|, 400 MB)")]
    public double ReadPass()
    {
        double sum = 0;
        foreach (float[] tensor in _tensors)
        {
            sum += TensorPrimitives.SumOfMagnitudes<float>(tensor);
        }

        return sum;
    }

    [Benchmark(Description = "global threshold (kernel radix select, 400 MB)")]
    public MagnitudeThreshold Threshold() => MagnitudeSelector.Threshold(_memories, _count);

    [Benchmark(Description = "sampled one-pass selection, per-tensor counts (400 MB)")]
    public long[]? Sampled() => SampledSelection.Counts(_tensors, _count);

    [Benchmark(Description = "global threshold + per-layer cap check (400 MB)")]
    public long[] CappedCounts() => GlobalThreshold.Counts(_tensors, _count, 0.95);
}
