using BenchmarkDotNet.Attributes;
using Compression.Kernels;

namespace Compression.Benchmarks.Kernels;

/// <summary>MatMulNBits 4-bit block quantization with packing (B[K, 4096], block 32) against a copy of the input.</summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5)]
[IterationTime(150)]
public class Block4BitBenchmarks
{
    private const int N = 4096;
    private const int Block = 32;
    private float[] _x = [];
    private float[] _copy = [];
    private byte[] _packed = [];
    private float[] _scales = [];
    private byte[] _zeroPoints = [];
    private int _k;

    [ParamsSource(nameof(Lengths))]
    public int Length { get; set; }

    public static IEnumerable<int> Lengths => KernelBenchmarkData.Lengths;

    [GlobalSetup]
    public void Setup()
    {
        _x = KernelBenchmarkData.Weights(Length);
        _copy = new float[Length];
        _k = Length / N;
        int blocks = (_k + Block - 1) / Block;
        _packed = new byte[N * blocks * Block / 2];
        _scales = new float[N * blocks];
        _zeroPoints = new byte[N * ((blocks + 1) / 2)];
    }

    [Benchmark(Baseline = true)]
    public void CopyFloats() => _x.AsSpan().CopyTo(_copy);

    [Benchmark]
    public void MatMulNBitsSymmetric() => BlockQuantizer4Bit.QuantizeMatMulNBits(_x, _k, N, Block, symmetric: true, _packed, _scales, []);

    [Benchmark]
    public void MatMulNBitsSymmetricAllCores() => BlockQuantizer4Bit.QuantizeMatMulNBitsParallel(_x, _k, N, Block, symmetric: true, _packed, _scales, []);

    [Benchmark]
    public void CopyFloatsAllCores() => KernelBenchmarkData.ParallelCopy(_x, _copy);

    [Benchmark]
    public void MatMulNBitsAsymmetric() => BlockQuantizer4Bit.QuantizeMatMulNBits(_x, _k, N, Block, symmetric: false, _packed, _scales, _zeroPoints);

    [Benchmark]
    public void MatMulNBitsSymmetricScalar() => MatMulNBitsKernels.Quantize(_x, _k, N, Block, symmetric: true, _packed, _scales, [], BlockScaleRule.MinMax, KernelIsa.Scalar);

    [Benchmark]
    public void DequantizeMatMulNBits() => BlockQuantizer4Bit.DequantizeMatMulNBits(_packed, _scales, [], _k, N, Block, _copy);
}
