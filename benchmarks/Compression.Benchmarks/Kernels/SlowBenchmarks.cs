using BenchmarkDotNet.Attributes;
using Compression.Kernels;
using System.Numerics.Tensors;

namespace Compression.Benchmarks.Kernels;

/// <summary>
/// The slow paths, at 1 M and 16 M floats only (64 M would take minutes): the sort that the radix threshold
/// replaces, and the 4-bit clip search.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5)]
[IterationTime(150)]
public class SlowBenchmarks
{
    private const int N = 4096;
    private const int Block = 32;
    private float[] _x = [];
    private float[] _scratch = [];
    private byte[] _packed = [];
    private float[] _scales = [];

    [Params(1 << 20, 1 << 24)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = KernelBenchmarkData.Weights(Length);
        _scratch = new float[Length];
        int blocks = (Length / N + Block - 1) / Block;
        _packed = new byte[N * blocks * Block / 2];
        _scales = new float[N * blocks];
    }

    [Benchmark(Baseline = true)]
    public MagnitudeThreshold PruneThresholdHalf() => MagnitudeSelector.Threshold(_x, Length / 2);

    /// <summary>The same threshold by sorting the magnitudes (what the radix select avoids).</summary>
    [Benchmark]
    public float PruneThresholdBySort()
    {
        TensorPrimitives.Abs(_x, _scratch);
        _scratch.AsSpan().Sort();
        return _scratch[(Length / 2) - 1];
    }

    [Benchmark]
    public void MatMulNBitsMinMax() => BlockQuantizer4Bit.QuantizeMatMulNBits(_x, Length / N, N, Block, symmetric: true, _packed, _scales, []);

    [Benchmark]
    public void MatMulNBitsClipSearch() => BlockQuantizer4Bit.QuantizeMatMulNBits(_x, Length / N, N, Block, symmetric: true, _packed, _scales, [], BlockScaleRule.ClipSearch);

    [Benchmark]
    public void MatMulNBitsClipSearchAllCores() => BlockQuantizer4Bit.QuantizeMatMulNBitsParallel(_x, Length / N, N, Block, symmetric: true, _packed, _scales, [], BlockScaleRule.ClipSearch);
}
