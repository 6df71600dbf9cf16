using System.Runtime.InteropServices;
using Compression.Kernels;

namespace Compression.Kernels.Tests;

/// <summary>
/// Outputs of at least <see cref="WidthChangeDriver.NonTemporalBytes"/> take the streaming-store path (aligned
/// head, non-temporal body, overlapping tail): every width must still match the scalar operator exactly, for
/// lengths and offsets that put the destination at every alignment.
/// </summary>
[TestClass]
public sealed class StreamingStoreTests
{
    private const int Length = (int)(WidthChangeDriver.NonTemporalBytes + 4099);

    [TestMethod]
    public void Quantize_and_dequantize_match_scalar_on_the_streaming_path()
    {
        float[] values = TestData.Mixed(Length + 64, 5, withNaN: true);
        byte[] expected = new byte[Length];
        AffineKernels.Quantize(values.AsSpan(0, Length), 0.37f, 3, -128, 127, expected, KernelIsa.Scalar);
        foreach (KernelIsa isa in TestData.VectorIsas)
        {
            foreach (int offset in new[] { 0, 1, 7, 33 })
            {
                byte[] actual = new byte[Length + 64];
                AffineKernels.Quantize(values.AsSpan(0, Length), 0.37f, 3, -128, 127, actual.AsSpan(offset, Length), isa);
                Assert.IsTrue(expected.AsSpan().SequenceEqual(actual.AsSpan(offset, Length)), $"{isa} offset {offset}");
            }
        }

        float[] back = new float[Length];
        AffineKernels.Dequantize(expected, 0.37f, 3, back, signed: true, KernelIsa.Scalar);
        foreach (KernelIsa isa in TestData.VectorIsas)
        {
            foreach (int offset in new[] { 0, 1, 5 })
            {
                float[] actual = new float[Length + 16];
                AffineKernels.Dequantize(expected, 0.37f, 3, actual.AsSpan(offset, Length), signed: true, isa);
                Assert.IsTrue(back.AsSpan().SequenceEqual(actual.AsSpan(offset, Length)), $"{isa} offset {offset}");
            }
        }
    }

    [TestMethod]
    public void Float16_and_bfloat16_match_scalar_on_the_streaming_path()
    {
        float[] values = TestData.Mixed(Length, 6, withNaN: true);
        var half = new ushort[Length];
        var bf = new ushort[Length];
        FloatConversionKernels.ToHalf(values, half, saturate: false, KernelIsa.Scalar);
        FloatConversionKernels.ToBFloat16(values, bf, saturate: true, KernelIsa.Scalar);
        var halfBack = new float[Length];
        FloatConversionKernels.FromHalf(half, halfBack, KernelIsa.Scalar);
        foreach (KernelIsa isa in TestData.VectorIsas)
        {
            foreach (int offset in new[] { 0, 3, 17 })
            {
                var actual = new ushort[Length + 32];
                FloatConversionKernels.ToHalf(values, actual.AsSpan(offset, Length), saturate: false, isa);
                Assert.IsTrue(half.AsSpan().SequenceEqual(actual.AsSpan(offset, Length)), $"{isa} half offset {offset}");
                FloatConversionKernels.ToBFloat16(values, actual.AsSpan(offset, Length), saturate: true, isa);
                Assert.IsTrue(bf.AsSpan().SequenceEqual(actual.AsSpan(offset, Length)), $"{isa} bfloat16 offset {offset}");
                var widened = new float[Length + 32];
                FloatConversionKernels.FromHalf(half, widened.AsSpan(offset, Length), isa);
                Assert.IsTrue(MemoryMarshal.Cast<float, uint>(halfBack.AsSpan()).SequenceEqual(MemoryMarshal.Cast<float, uint>(widened.AsSpan(offset, Length))), $"{isa} widen offset {offset}");
            }
        }
    }
}
