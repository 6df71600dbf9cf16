using BenchmarkDotNet.Attributes;
using Compression.Kernels;
using System.Numerics.Tensors;

namespace Compression.Benchmarks.Kernels;

/// <summary>int8 affine quantization (given and fused parameters) against a copy of the input (the copy bandwidth).</summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5)]
[IterationTime(150)]
public class QuantizeBenchmarks
{
    private const int Channels = 4096;
    private float[] _x = [];
    private float[] _copy = [];
    private float[] _scratch = [];
    private sbyte[] _q = [];
    private readonly float[] _scales = new float[Channels];
    private readonly int[] _zeroPoints = new int[Channels];
    private float _scale;

    [ParamsSource(nameof(Lengths))]
    public int Length { get; set; }

    public static IEnumerable<int> Lengths => KernelBenchmarkData.Lengths;

    [GlobalSetup]
    public void Setup()
    {
        _x = KernelBenchmarkData.Weights(Length);
        _copy = new float[Length];
        _scratch = new float[Length];
        _q = new sbyte[Length];
        _scale = QuantizationParameters.Compute(_x, QuantizedType.Int8, symmetric: true).Scale;
    }

    [Benchmark(Baseline = true)]
    public void CopyFloats() => _x.AsSpan().CopyTo(_copy);

    [Benchmark]
    public void CopyFloatsAllCores() => KernelBenchmarkData.ParallelCopy(_x, _copy);

    [Benchmark]
    public void QuantizeInt8() => AffineQuantizer.Quantize(_x, _scale, 0, _q);

    [Benchmark]
    public void QuantizeInt8AllCores() => AffineQuantizer.QuantizeParallel(_x, _scale, 0, _q);

    /// <summary>The same result from TensorPrimitives: divide, round half to even, add, saturating convert (4 passes).</summary>
    [Benchmark]
    public void QuantizeInt8TensorPrimitives()
    {
        TensorPrimitives.Divide(_x, _scale, _scratch);
        TensorPrimitives.Round(_scratch, _scratch);
        TensorPrimitives.Add(_scratch, 0f, _scratch);
        TensorPrimitives.ConvertSaturating<float, sbyte>(_scratch, _q);
    }

    [Benchmark]
    public void QuantizeInt8Scalar() => AffineQuantizer.Quantize(_x, _scale, 0, _q, KernelIsa.Scalar);

    /// <summary>Range, ORT parameters and quantization of the whole tensor (two passes).</summary>
    [Benchmark]
    public QuantizationParameters FusedPerTensor() => AffineQuantizer.QuantizeTensor(_x, _q, symmetric: false);

    [Benchmark]
    public QuantizationParameters FusedPerTensorAllCores() => AffineQuantizer.QuantizeTensorParallel(_x, _q, symmetric: false);

    /// <summary>MatMul weight [K, 4096], one scale per output column: per-channel range, parameters, quantization.</summary>
    [Benchmark]
    public void FusedPerChannel() =>
        AffineQuantizer.QuantizeTensorPerChannel(_x, Length / Channels, Channels, 1, symmetric: true, reduceRange: false, _scales, _zeroPoints, _q);

    [Benchmark]
    public void FusedPerChannelScalar() =>
        AffineQuantizer.QuantizeTensorPerChannel(_x, Length / Channels, Channels, 1, symmetric: true, reduceRange: false, _scales, _zeroPoints, System.Runtime.InteropServices.MemoryMarshal.AsBytes(_q.AsSpan()), QuantizedType.Int8, KernelIsa.Scalar);

    [Benchmark]
    public void DequantizeInt8() => AffineQuantizer.Dequantize(_q, _scale, 0, _copy);

    [Benchmark]
    public void DequantizeInt8Scalar() => AffineQuantizer.Dequantize(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_q.AsSpan()), _scale, 0, _copy, signed: true, KernelIsa.Scalar);
}
