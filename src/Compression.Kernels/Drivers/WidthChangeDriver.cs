using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

/// <summary>
/// Loops for elementwise kernels that change the element width: float to byte (4:1), float to 16 bits (2:1),
/// byte to float (1:4) and 16 bits to float (1:2). Each width runs whole steps (a full vector of the narrow type),
/// then finishes with one step overlapping the previous one, which is safe because the operators are elementwise
/// and the source never aliases the destination (different element types). Inputs shorter than one step of the
/// chosen width fall to the next narrower width, then to the scalar operator. Outputs of at least
/// <see cref="NonTemporalBytes"/> are written with aligned non-temporal stores after one unaligned head step:
/// they bypass the cache and skip the read-for-ownership of every destination line, which is most of the
/// difference between such a kernel and a copy (the copy's <c>rep movsb</c> already avoids it).
/// </summary>
internal static unsafe partial class WidthChangeDriver
{
    /// <summary>Output size from which stores bypass the cache: well past a core's share of L2/L3.</summary>
    internal const long NonTemporalBytes = 8L << 20;
    public static void FloatToByte<TOp>(TOp op, ReadOnlySpan<float> source, Span<byte> destination, KernelIsa isa)
        where TOp : struct, IFloatToIntOperator
    {
        int n = source.Length;
        bool done = false;
        if (isa == KernelIsa.Vector512 && n >= Vector512<byte>.Count)
        {
            FloatToByte512(op, source, destination);
            done = true;
        }
        else if (isa is KernelIsa.Vector512 or KernelIsa.Vector256 && n >= Vector256<byte>.Count)
        {
            FloatToByte256(op, source, destination);
            done = true;
        }
        else if (isa is KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 && n >= Vector128<byte>.Count)
        {
            FloatToByte128(op, source, destination);
            done = true;
        }

        for (int i = 0; !done && i < n; i++)
        {
            destination[i] = (byte)op.Invoke(source[i]);
        }
    }

    public static void FloatToBits16<TOp>(TOp op, ReadOnlySpan<float> source, Span<ushort> destination, KernelIsa isa)
        where TOp : struct, IFloatToBits16Operator
    {
        int n = source.Length;
        bool done = false;
        if (isa == KernelIsa.Vector512 && n >= Vector512<ushort>.Count)
        {
            FloatToBits16512(op, source, destination);
            done = true;
        }
        else if (isa is KernelIsa.Vector512 or KernelIsa.Vector256 && n >= Vector256<ushort>.Count)
        {
            FloatToBits16256(op, source, destination);
            done = true;
        }
        else if (isa is KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 && n >= Vector128<ushort>.Count)
        {
            FloatToBits16128(op, source, destination);
            done = true;
        }

        for (int i = 0; !done && i < n; i++)
        {
            destination[i] = op.Invoke(source[i]);
        }
    }

    public static void ByteToFloat<TOp>(TOp op, ReadOnlySpan<byte> source, bool signed, Span<float> destination, KernelIsa isa)
        where TOp : struct, IIntToFloatOperator
    {
        int n = source.Length;
        bool done = false;
        if (isa == KernelIsa.Vector512 && n >= Vector512<byte>.Count)
        {
            ByteToFloat512(op, source, signed, destination);
            done = true;
        }
        else if (isa is KernelIsa.Vector512 or KernelIsa.Vector256 && n >= Vector256<byte>.Count)
        {
            ByteToFloat256(op, source, signed, destination);
            done = true;
        }
        else if (isa is KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 && n >= Vector128<byte>.Count)
        {
            ByteToFloat128(op, source, signed, destination);
            done = true;
        }

        for (int i = 0; !done && i < n; i++)
        {
            destination[i] = op.Invoke(signed ? (sbyte)source[i] : source[i]);
        }
    }

    public static void Bits16ToFloat<TOp>(TOp op, ReadOnlySpan<ushort> source, Span<float> destination, KernelIsa isa)
        where TOp : struct, IBits16ToFloatOperator
    {
        int n = source.Length;
        bool done = false;
        if (isa == KernelIsa.Vector512 && n >= Vector512<ushort>.Count)
        {
            Bits16ToFloat512(op, source, destination);
            done = true;
        }
        else if (isa is KernelIsa.Vector512 or KernelIsa.Vector256 && n >= Vector256<ushort>.Count)
        {
            Bits16ToFloat256(op, source, destination);
            done = true;
        }
        else if (isa is KernelIsa.Vector512 or KernelIsa.Vector256 or KernelIsa.Vector128 && n >= Vector128<ushort>.Count)
        {
            Bits16ToFloat128(op, source, destination);
            done = true;
        }

        for (int i = 0; !done && i < n; i++)
        {
            destination[i] = op.Invoke(source[i]);
        }
    }

    /// <summary>Start of the step after <paramref name="i"/>: the next whole step, the overlapping last step, or n (done).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Next(nuint i, nuint step, nuint n) => i + step == n ? n : i + (2 * step) <= n ? i + step : n - step;


    /// <summary>Orders the streaming stores before anything that follows (x86 only; elsewhere they are plain stores).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFence()
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            System.Runtime.Intrinsics.X86.Sse.StoreFence();
        }
    }
}
