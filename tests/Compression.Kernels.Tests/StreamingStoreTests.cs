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

    /// <summary>Cheap deterministic values (a hash spread over +/-40) with edge values every 97 elements.</summary>
    private static float[] Values(int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = i % 97 == 0 ? TestData.EdgeValues[(i / 97) % TestData.EdgeValues.Length] : (((uint)i * 2654435761u) >> 8) * (80f / (1 << 24)) - 40f;
        }

        values[12345] = float.NaN;
        return values;
    }

    [TestMethod]
    public void Quantize_and_dequantize_match_scalar_on_the_streaming_path()
    {
        float[] values = Values(Length);
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

        // Dequantize writes 4 bytes an element: a quarter of the length reaches the threshold.
        int quarter = (Length / 4) + 4099;
        float[] back = new float[quarter];
        AffineKernels.Dequantize(expected.AsSpan(0, quarter), 0.37f, 3, back, signed: true, KernelIsa.Scalar);
        foreach (KernelIsa isa in TestData.VectorIsas)
        {
            foreach (int offset in new[] { 0, 1, 5 })
            {
                float[] actual = new float[quarter + 16];
                AffineKernels.Dequantize(expected.AsSpan(0, quarter), 0.37f, 3, actual.AsSpan(offset, quarter), signed: true, isa);
                Assert.IsTrue(back.AsSpan().SequenceEqual(actual.AsSpan(offset, quarter)), $"{isa} offset {offset}");
            }
        }
    }

    [TestMethod]
    public void Float16_and_bfloat16_match_scalar_on_the_streaming_path()
    {
        // 16-bit outputs: half the length reaches the threshold (and the float output of widening, a quarter).
        const int Half = (Length / 2) + 4099;
        float[] values = Values(Half);
        var half = new ushort[Half];
        var bf = new ushort[Half];
        FloatConversionKernels.ToHalf(values, half, saturate: false, KernelIsa.Scalar);
        FloatConversionKernels.ToBFloat16(values, bf, saturate: true, KernelIsa.Scalar);
        var halfBack = new float[Half];
        FloatConversionKernels.FromHalf(half, halfBack, KernelIsa.Scalar);
        foreach (KernelIsa isa in TestData.VectorIsas)
        {
            foreach (int offset in new[] { 0, 3, 17 })
            {
                var actual = new ushort[Half + 32];
                FloatConversionKernels.ToHalf(values, actual.AsSpan(offset, Half), saturate: false, isa);
                Assert.IsTrue(half.AsSpan().SequenceEqual(actual.AsSpan(offset, Half)), $"{isa} half offset {offset}");
                FloatConversionKernels.ToBFloat16(values, actual.AsSpan(offset, Half), saturate: true, isa);
                Assert.IsTrue(bf.AsSpan().SequenceEqual(actual.AsSpan(offset, Half)), $"{isa} bfloat16 offset {offset}");
                var widened = new float[Half + 32];
                FloatConversionKernels.FromHalf(half, widened.AsSpan(offset, Half), isa);
                Assert.IsTrue(MemoryMarshal.Cast<float, uint>(halfBack.AsSpan()).SequenceEqual(MemoryMarshal.Cast<float, uint>(widened.AsSpan(offset, Half))), $"{isa} widen offset {offset}");
            }
        }
    }
}
