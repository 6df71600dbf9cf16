using BenchmarkDotNet.Attributes;
using Compression.Kernels;
using System.Numerics.Tensors;

namespace Compression.Benchmarks.Kernels;

/// <summary>Read-only kernels: fused min/max and abs-max against a vectorised sum (the read bandwidth).</summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5)]
[IterationTime(150)]
public class RangeBenchmarks
{
    private float[] _x = [];

    [ParamsSource(nameof(Lengths))]
    public int Length { get; set; }

    public static IEnumerable<int> Lengths => KernelBenchmarkData.Lengths;

    [GlobalSetup]
    public void Setup() => _x = KernelBenchmarkData.Weights(Length);

    [Benchmark(Baseline = true)]
    public float ReadSum() => TensorPrimitives.Sum(_x);

    [Benchmark]
    public float ReadSumAllCores() => KernelBenchmarkData.ParallelSum(_x);

    [Benchmark]
    public (float, float) MinMax() => RangeKernels.MinMax(_x);

    [Benchmark]
    public (float, float) MinMaxAllCores() => RangeKernels.MinMaxParallel(_x);

    [Benchmark]
    public (float, float) MinMaxTensorPrimitives() => (TensorPrimitives.Min(_x), TensorPrimitives.Max(_x));

    [Benchmark]
    public (float, float) MinMaxScalar() => RangeReduction.MinMaxScalar(_x);

    [Benchmark]
    public float AbsMax() => RangeKernels.AbsMax(_x);

    [Benchmark]
    public float AbsMaxTensorPrimitives() => Math.Abs(TensorPrimitives.MaxMagnitude(_x));

    [Benchmark]
    public float AbsMaxScalar() => RangeReduction.AbsMaxScalar(_x);
}
