using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

/// <summary>
/// N:M masks with one lane per position of the inner axis: for a group of m rows along the input-channel axis,
/// each lane ranks its m magnitudes (larger, or equal and later, ranks first) and keeps the n best. Used when
/// the inner axis is at least one vector wide (MatMul <c>[K, N]</c> weights, Conv weights with a kernel area);
/// generated per width from one template, tails overlap (the mask is elementwise in the inner axis).
/// </summary>
internal static class NMMaskKernels
{
    /// <summary>Masks positions <c>[0, inner)</c> of one group; returns false when the inner axis is too short for the width.</summary>
    public static bool Group(ReadOnlySpan<float> values, int rowStart, int length, int inner, int n, Span<byte> keepMask, KernelIsa isa) => isa switch
    {
        KernelIsa.Vector512 when inner >= 16 => Group512(values, rowStart, length, inner, n, keepMask),
        KernelIsa.Vector512 or KernelIsa.Vector256 when inner >= 8 => Group256(values, rowStart, length, inner, n, keepMask),
        KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 when inner >= 4 => Group128(values, rowStart, length, inner, n, keepMask),
        _ => false,
    };

    private static bool Group512(ReadOnlySpan<float> values, int rowStart, int length, int inner, int n, Span<byte> keepMask)
    {
        const int W = 16;
        Span<Vector512<uint>> keys = stackalloc Vector512<uint>[length];
        ref uint bits = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(values));
        ref byte mask = ref MemoryMarshal.GetReference(keepMask);
        var magnitude = Vector512.Create(0x7FFFFFFFu);
        var limit = Vector512.Create((uint)n);
        for (int i = 0; ; i += W)
        {
            if (i + W > inner)
            {
                i = inner - W;
            }

            for (int a = 0; a < length; a++)
            {
                keys[a] = Vector512.LoadUnsafe(ref bits, (nuint)(((rowStart + a) * inner) + i)) & magnitude;
            }

            for (int a = 0; a < length; a++)
            {
                // Comparison masks are all ones (-1 as uint), so subtracting them counts.
                var rank = Vector512<uint>.Zero;
                for (int b = 0; b < length; b++)
                {
                    if (b != a)
                    {
                        var ahead = b > a ? Vector512.GreaterThanOrEqual(keys[b], keys[a]) : Vector512.GreaterThan(keys[b], keys[a]);
                        rank -= ahead;
                    }
                }

                var keep = Vector512.LessThan(rank, limit) & Vector512.Create(1u);
                var bytes = Vector512.Narrow(Vector512.Narrow(keep, Vector512<uint>.Zero), Vector512<ushort>.Zero);
                nuint at = (nuint)(((rowStart + a) * inner) + i);
                for (int lane = 0; lane < W; lane++)
                {
                    Unsafe.Add(ref mask, at + (nuint)lane) = bytes.GetElement(lane);
                }
            }

            if (i + W == inner)
            {
                return true;
            }
        }
    }

    private static bool Group256(ReadOnlySpan<float> values, int rowStart, int length, int inner, int n, Span<byte> keepMask)
    {
        const int W = 8;
        Span<Vector256<uint>> keys = stackalloc Vector256<uint>[length];
        ref uint bits = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(values));
        ref byte mask = ref MemoryMarshal.GetReference(keepMask);
        var magnitude = Vector256.Create(0x7FFFFFFFu);
        var limit = Vector256.Create((uint)n);
        for (int i = 0; ; i += W)
        {
            if (i + W > inner)
            {
                i = inner - W;
            }

            for (int a = 0; a < length; a++)
            {
                keys[a] = Vector256.LoadUnsafe(ref bits, (nuint)(((rowStart + a) * inner) + i)) & magnitude;
            }

            for (int a = 0; a < length; a++)
            {
                // Comparison masks are all ones (-1 as uint), so subtracting them counts.
                var rank = Vector256<uint>.Zero;
                for (int b = 0; b < length; b++)
                {
                    if (b != a)
                    {
                        var ahead = b > a ? Vector256.GreaterThanOrEqual(keys[b], keys[a]) : Vector256.GreaterThan(keys[b], keys[a]);
                        rank -= ahead;
                    }
                }

                var keep = Vector256.LessThan(rank, limit) & Vector256.Create(1u);
                var bytes = Vector256.Narrow(Vector256.Narrow(keep, Vector256<uint>.Zero), Vector256<ushort>.Zero);
                nuint at = (nuint)(((rowStart + a) * inner) + i);
                for (int lane = 0; lane < W; lane++)
                {
                    Unsafe.Add(ref mask, at + (nuint)lane) = bytes.GetElement(lane);
                }
            }

            if (i + W == inner)
            {
                return true;
            }
        }
    }

    private static bool Group128(ReadOnlySpan<float> values, int rowStart, int length, int inner, int n, Span<byte> keepMask)
    {
        const int W = 4;
        Span<Vector128<uint>> keys = stackalloc Vector128<uint>[length];
        ref uint bits = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(values));
        ref byte mask = ref MemoryMarshal.GetReference(keepMask);
        var magnitude = Vector128.Create(0x7FFFFFFFu);
        var limit = Vector128.Create((uint)n);
        for (int i = 0; ; i += W)
        {
            if (i + W > inner)
            {
                i = inner - W;
            }

            for (int a = 0; a < length; a++)
            {
                keys[a] = Vector128.LoadUnsafe(ref bits, (nuint)(((rowStart + a) * inner) + i)) & magnitude;
            }

            for (int a = 0; a < length; a++)
            {
                // Comparison masks are all ones (-1 as uint), so subtracting them counts.
                var rank = Vector128<uint>.Zero;
                for (int b = 0; b < length; b++)
                {
                    if (b != a)
                    {
                        var ahead = b > a ? Vector128.GreaterThanOrEqual(keys[b], keys[a]) : Vector128.GreaterThan(keys[b], keys[a]);
                        rank -= ahead;
                    }
                }

                var keep = Vector128.LessThan(rank, limit) & Vector128.Create(1u);
                var bytes = Vector128.Narrow(Vector128.Narrow(keep, Vector128<uint>.Zero), Vector128<ushort>.Zero);
                nuint at = (nuint)(((rowStart + a) * inner) + i);
                for (int lane = 0; lane < W; lane++)
                {
                    Unsafe.Add(ref mask, at + (nuint)lane) = bytes.GetElement(lane);
                }
            }

            if (i + W == inner)
            {
                return true;
            }
        }
    }
}
