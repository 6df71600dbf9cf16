using BenchmarkDotNet.Attributes;
using Compression.Kernels;
using System.Numerics.Tensors;

namespace Compression.Benchmarks.Kernels;

/// <summary>float16/bfloat16 conversion against a copy of the input.</summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5)]
[IterationTime(150)]
public class FloatConversionBenchmarks
{
    private float[] _x = [];
    private float[] _copy = [];
    private Half[] _half = [];
    private ushort[] _bf16 = [];

    [ParamsSource(nameof(Lengths))]
    public int Length { get; set; }

    public static IEnumerable<int> Lengths => KernelBenchmarkData.Lengths;

    [GlobalSetup]
    public void Setup()
    {
        _x = KernelBenchmarkData.Weights(Length);
        _copy = new float[Length];
        _half = new Half[Length];
        _bf16 = new ushort[Length];
        FloatConverter.ToHalf(_x, _half);
    }

    [Benchmark(Baseline = true)]
    public void CopyFloats() => _x.AsSpan().CopyTo(_copy);

    [Benchmark]
    public void CopyFloatsAllCores() => KernelBenchmarkData.ParallelCopy(_x, _copy);

    [Benchmark]
    public void ToHalf() => FloatConverter.ToHalf(_x, _half);

    [Benchmark]
    public void ToHalfAllCores() => FloatConverter.ToHalfParallel(_x, _half);

    [Benchmark]
    public void ToHalfTensorPrimitives() => TensorPrimitives.ConvertToHalf(_x, _half);

    [Benchmark]
    public void ToHalfScalar() => FloatConverter.ToHalf(_x, System.Runtime.InteropServices.MemoryMarshal.Cast<Half, ushort>(_half.AsSpan()), saturate: false, KernelIsa.Scalar);

    [Benchmark]
    public void ToHalfSaturating() => FloatConverter.ToHalfSaturating(_x, _half);

    [Benchmark]
    public void ToBFloat16() => FloatConverter.ToBFloat16(_x, _bf16);

    [Benchmark]
    public void ToBFloat16AllCores() => FloatConverter.ToBFloat16Parallel(_x, _bf16);

    [Benchmark]
    public void ToBFloat16Scalar() => FloatConverter.ToBFloat16(_x, _bf16, saturate: false, KernelIsa.Scalar);

    [Benchmark]
    public void FromHalf() => FloatConverter.FromHalf(_half, _copy);

    [Benchmark]
    public void FromHalfTensorPrimitives() => TensorPrimitives.ConvertToSingle(_half, _copy);
}
