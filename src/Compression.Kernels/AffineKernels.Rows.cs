using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// Quantize/dequantize with a parameter per element (a row of per-channel or per-block parameters), written once in
// AffineKernels.Rows.Width.cs (VectorWidths.targets derives the narrower widths). Uniform-parameter kernels are operators run by WidthChangeDriver instead.
internal static partial class AffineKernels
{
    private static int QuantizeRowVector(ReadOnlySpan<float> values, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, int lo, int hi, Span<byte> destination, KernelIsa isa) => isa switch
    {
        KernelIsa.Vector512 when values.Length >= 64 => QuantizeRow512(values, scales, zeroPoints, lo, hi, destination),
        KernelIsa.Vector512 or KernelIsa.Vector256 when values.Length >= 32 => QuantizeRow256(values, scales, zeroPoints, lo, hi, destination),
        KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 => QuantizeRow128(values, scales, zeroPoints, lo, hi, destination),
        _ => 0,
    };

    private static int DequantizeRowVector(ReadOnlySpan<byte> quantized, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination, bool signed, KernelIsa isa) => isa switch
    {
        KernelIsa.Vector512 => DequantizeRow512(quantized, scales, zeroPoints, destination, signed),
        KernelIsa.Vector256 => DequantizeRow256(quantized, scales, zeroPoints, destination, signed),
        KernelIsa.Vector128 => DequantizeRow128(quantized, scales, zeroPoints, destination, signed),
        _ => 0,
    };
}
