using BenchmarkDotNet.Attributes;
using Compression.Kernels;
using System.Numerics.Tensors;

namespace Compression.Benchmarks.Kernels;

/// <summary>Error metrics, histogram, norms and magnitude selection against a vectorised read of the same bytes.</summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5)]
[IterationTime(150)]
public class MetricsBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _scratch = [];
    private readonly float[] _norms = new float[4096];

    [ParamsSource(nameof(Lengths))]
    public int Length { get; set; }

    public static IEnumerable<int> Lengths => KernelBenchmarkData.Lengths;

    [GlobalSetup]
    public void Setup()
    {
        _a = KernelBenchmarkData.Weights(Length, 1);
        _b = KernelBenchmarkData.Weights(Length, 2);
        _scratch = new float[Length];
    }

    /// <summary>Reads both tensors once (the read bandwidth for a two-input kernel).</summary>
    [Benchmark(Baseline = true)]
    public float ReadSumBoth() => TensorPrimitives.Sum(_a) + TensorPrimitives.Sum(_b);

    [Benchmark]
    public ErrorStatistics Compare() => ErrorMetrics.Compare(_a, _b);

    [Benchmark]
    public ErrorStatistics CompareAllCores() => ErrorMetrics.CompareParallel(_a, _b);

    /// <summary>The same metrics from TensorPrimitives calls (float accumulation, 5 passes and a scratch tensor).</summary>
    [Benchmark]
    public (float, float, float, float, float) CompareTensorPrimitives()
    {
        TensorPrimitives.Subtract(_a, _b, _scratch);
        return (TensorPrimitives.MaxMagnitude(_scratch), TensorPrimitives.SumOfSquares(_scratch), TensorPrimitives.SumOfSquares(_a), TensorPrimitives.SumOfSquares(_b), TensorPrimitives.Dot(_a, _b));
    }

    [Benchmark]
    public ErrorStatistics CompareScalar() => ErrorMetrics.Compare(_a, _b, KernelIsa.Scalar);

    [Benchmark]
    public long Histogram2048()
    {
        var h = new Histogram(2048, -0.5f, 0.5f);
        h.Add(_a);
        return h.InRangeCount;
    }

    [Benchmark]
    public long Histogram2048Scalar()
    {
        var h = new Histogram(2048, -0.5f, 0.5f);
        h.Add(_a, KernelIsa.Scalar);
        return h.InRangeCount;
    }

    [Benchmark]
    public void L2NormPerChannelScalar() => ChannelNorms.Compute(_a, Length / 4096, 4096, 1, _norms, squared: true, KernelIsa.Scalar);

    [Benchmark]
    public void L2NormPerChannel() => MagnitudeSelector.L2NormPerChannel(_a, Length / 4096, 4096, 1, _norms);

    [Benchmark]
    public MagnitudeThreshold PruneThresholdHalf() => MagnitudeSelector.Threshold(_a, Length / 2);
}
