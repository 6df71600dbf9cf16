using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

/// <summary>
/// N:M masks with one lane per position of the inner axis: for a group of m rows along the input-channel axis,
/// each lane ranks its m magnitudes (larger, or equal and later, ranks first) and keeps the n best. Used when
/// the inner axis is at least one vector wide (MatMul <c>[K, N]</c> weights, Conv weights with a kernel area);
/// written once in NMMaskKernels.Width.cs (VectorWidths.targets derives the narrower widths), tails overlap (the mask is elementwise in the inner axis).
/// </summary>
internal static partial class NMMaskKernels
{
    /// <summary>Masks positions <c>[0, inner)</c> of one group; returns false when the inner axis is too short for the width.</summary>
    public static bool Group(ReadOnlySpan<float> values, int rowStart, int length, int inner, int n, Span<byte> keepMask, KernelIsa isa) => isa switch
    {
        KernelIsa.Vector512 when inner >= 16 => Group512(values, rowStart, length, inner, n, keepMask),
        KernelIsa.Vector512 or KernelIsa.Vector256 when inner >= 8 => Group256(values, rowStart, length, inner, n, keepMask),
        KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 when inner >= 4 => Group128(values, rowStart, length, inner, n, keepMask),
        _ => false,
    };
}
