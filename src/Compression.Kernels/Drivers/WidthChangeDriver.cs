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
internal static unsafe class WidthChangeDriver
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


    private static void FloatToByte512<TOp>(TOp op, ReadOnlySpan<float> source, Span<byte> destination)
        where TOp : struct, IFloatToIntOperator
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector512<byte>.Count;
        fixed (byte* d = destination)
        {
            nuint i = 0;
            if ((long)n * 1 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first 64-byte boundary.
                {
                    var a = op.Invoke(Vector512.LoadUnsafe(ref s, i));
                    var b = op.Invoke(Vector512.LoadUnsafe(ref s, i + 16));
                    var c = op.Invoke(Vector512.LoadUnsafe(ref s, i + (2 * 16)));
                    var e = op.Invoke(Vector512.LoadUnsafe(ref s, i + (3 * 16)));
                    Store(Vector512.Narrow(Vector512.Narrow(a, b), Vector512.Narrow(c, e)).AsByte(), d, i);
                }

                i = ((nuint)Vector512<byte>.Count - ((nuint)d % (nuint)Vector512<byte>.Count)) % (nuint)Vector512<byte>.Count / 1;
                for (; i + step <= n; i += step)
                {
                    var a = op.Invoke(Vector512.LoadUnsafe(ref s, i));
                    var b = op.Invoke(Vector512.LoadUnsafe(ref s, i + 16));
                    var c = op.Invoke(Vector512.LoadUnsafe(ref s, i + (2 * 16)));
                    var e = op.Invoke(Vector512.LoadUnsafe(ref s, i + (3 * 16)));
                    StoreNonTemporal(Vector512.Narrow(Vector512.Narrow(a, b), Vector512.Narrow(c, e)).AsByte(), d, i);
                }

                if (i < n)
                {
                    i = n - step;
                    var a = op.Invoke(Vector512.LoadUnsafe(ref s, i));
                    var b = op.Invoke(Vector512.LoadUnsafe(ref s, i + 16));
                    var c = op.Invoke(Vector512.LoadUnsafe(ref s, i + (2 * 16)));
                    var e = op.Invoke(Vector512.LoadUnsafe(ref s, i + (3 * 16)));
                    Store(Vector512.Narrow(Vector512.Narrow(a, b), Vector512.Narrow(c, e)).AsByte(), d, i);
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                var a = op.Invoke(Vector512.LoadUnsafe(ref s, i));
                var b = op.Invoke(Vector512.LoadUnsafe(ref s, i + 16));
                var c = op.Invoke(Vector512.LoadUnsafe(ref s, i + (2 * 16)));
                var e = op.Invoke(Vector512.LoadUnsafe(ref s, i + (3 * 16)));
                Store(Vector512.Narrow(Vector512.Narrow(a, b), Vector512.Narrow(c, e)).AsByte(), d, i);
            }
        }
    }

    private static void FloatToBits16512<TOp>(TOp op, ReadOnlySpan<float> source, Span<ushort> destination)
        where TOp : struct, IFloatToBits16Operator
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector512<ushort>.Count;
        fixed (ushort* d = destination)
        {
            nuint i = 0;
            if ((long)n * 2 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first 64-byte boundary.
                {
                    Store(Vector512.Narrow(op.Invoke(Vector512.LoadUnsafe(ref s, i)), op.Invoke(Vector512.LoadUnsafe(ref s, i + 16))), d, i);
                }

                i = ((nuint)Vector512<byte>.Count - ((nuint)d % (nuint)Vector512<byte>.Count)) % (nuint)Vector512<byte>.Count / 2;
                for (; i + step <= n; i += step)
                {
                    StoreNonTemporal(Vector512.Narrow(op.Invoke(Vector512.LoadUnsafe(ref s, i)), op.Invoke(Vector512.LoadUnsafe(ref s, i + 16))), d, i);
                }

                if (i < n)
                {
                    i = n - step;
                    Store(Vector512.Narrow(op.Invoke(Vector512.LoadUnsafe(ref s, i)), op.Invoke(Vector512.LoadUnsafe(ref s, i + 16))), d, i);
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                Store(Vector512.Narrow(op.Invoke(Vector512.LoadUnsafe(ref s, i)), op.Invoke(Vector512.LoadUnsafe(ref s, i + 16))), d, i);
            }
        }
    }

    private static void ByteToFloat512<TOp>(TOp op, ReadOnlySpan<byte> source, bool signed, Span<float> destination)
        where TOp : struct, IIntToFloatOperator
    {
        ref byte s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector512<byte>.Count;
        fixed (float* d = destination)
        {
            nuint i = 0;
            if ((long)n * 4 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first 64-byte boundary.
                {
                    var bytes = Vector512.LoadUnsafe(ref s, i);
                    Vector512<int> a, b, c, e;
                    if (signed)
                    {
                        var (lower, upper) = Vector512.Widen(bytes.AsSByte());
                        (a, b) = Vector512.Widen(lower);
                        (c, e) = Vector512.Widen(upper);
                    }
                    else
                    {
                        var (lower, upper) = Vector512.Widen(bytes);
                        (a, b) = Vector512.Widen(lower.AsInt16());
                        (c, e) = Vector512.Widen(upper.AsInt16());
                    }

                    Store(op.Invoke(a), d, i);
                    Store(op.Invoke(b), d, i + 16);
                    Store(op.Invoke(c), d, i + (2 * 16));
                    Store(op.Invoke(e), d, i + (3 * 16));
                }

                i = ((nuint)Vector512<byte>.Count - ((nuint)d % (nuint)Vector512<byte>.Count)) % (nuint)Vector512<byte>.Count / 4;
                for (; i + step <= n; i += step)
                {
                    var bytes = Vector512.LoadUnsafe(ref s, i);
                    Vector512<int> a, b, c, e;
                    if (signed)
                    {
                        var (lower, upper) = Vector512.Widen(bytes.AsSByte());
                        (a, b) = Vector512.Widen(lower);
                        (c, e) = Vector512.Widen(upper);
                    }
                    else
                    {
                        var (lower, upper) = Vector512.Widen(bytes);
                        (a, b) = Vector512.Widen(lower.AsInt16());
                        (c, e) = Vector512.Widen(upper.AsInt16());
                    }

                    StoreNonTemporal(op.Invoke(a), d, i);
                    StoreNonTemporal(op.Invoke(b), d, i + 16);
                    StoreNonTemporal(op.Invoke(c), d, i + (2 * 16));
                    StoreNonTemporal(op.Invoke(e), d, i + (3 * 16));
                }

                if (i < n)
                {
                    i = n - step;
                    var bytes = Vector512.LoadUnsafe(ref s, i);
                    Vector512<int> a, b, c, e;
                    if (signed)
                    {
                        var (lower, upper) = Vector512.Widen(bytes.AsSByte());
                        (a, b) = Vector512.Widen(lower);
                        (c, e) = Vector512.Widen(upper);
                    }
                    else
                    {
                        var (lower, upper) = Vector512.Widen(bytes);
                        (a, b) = Vector512.Widen(lower.AsInt16());
                        (c, e) = Vector512.Widen(upper.AsInt16());
                    }

                    Store(op.Invoke(a), d, i);
                    Store(op.Invoke(b), d, i + 16);
                    Store(op.Invoke(c), d, i + (2 * 16));
                    Store(op.Invoke(e), d, i + (3 * 16));
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                var bytes = Vector512.LoadUnsafe(ref s, i);
                Vector512<int> a, b, c, e;
                if (signed)
                {
                    var (lower, upper) = Vector512.Widen(bytes.AsSByte());
                    (a, b) = Vector512.Widen(lower);
                    (c, e) = Vector512.Widen(upper);
            }
            else
            {
                var (lower, upper) = Vector512.Widen(bytes);
                (a, b) = Vector512.Widen(lower.AsInt16());
                (c, e) = Vector512.Widen(upper.AsInt16());
            }

            Store(op.Invoke(a), d, i);
            Store(op.Invoke(b), d, i + 16);
            Store(op.Invoke(c), d, i + (2 * 16));
            Store(op.Invoke(e), d, i + (3 * 16));
            }
        }
    }

    private static void Bits16ToFloat512<TOp>(TOp op, ReadOnlySpan<ushort> source, Span<float> destination)
        where TOp : struct, IBits16ToFloatOperator
    {
        ref ushort s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector512<ushort>.Count;
        fixed (float* d = destination)
        {
            nuint i = 0;
            if ((long)n * 4 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first 64-byte boundary.
                {
                    var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref s, i));
                    Store(op.Invoke(lower), d, i);
                    Store(op.Invoke(upper), d, i + 16);
                }

                i = ((nuint)Vector512<byte>.Count - ((nuint)d % (nuint)Vector512<byte>.Count)) % (nuint)Vector512<byte>.Count / 4;
                for (; i + step <= n; i += step)
                {
                    var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref s, i));
                    StoreNonTemporal(op.Invoke(lower), d, i);
                    StoreNonTemporal(op.Invoke(upper), d, i + 16);
                }

                if (i < n)
                {
                    i = n - step;
                    var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref s, i));
                    Store(op.Invoke(lower), d, i);
                    Store(op.Invoke(upper), d, i + 16);
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref s, i));
                Store(op.Invoke(lower), d, i);
                Store(op.Invoke(upper), d, i + 16);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector512<T> value, T* destination, nuint index)
        where T : unmanaged => value.Store(destination + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreNonTemporal<T>(Vector512<T> value, T* destination, nuint index)
        where T : unmanaged => value.StoreAlignedNonTemporal(destination + index);

    private static void FloatToByte256<TOp>(TOp op, ReadOnlySpan<float> source, Span<byte> destination)
        where TOp : struct, IFloatToIntOperator
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector256<byte>.Count;
        fixed (byte* d = destination)
        {
            nuint i = 0;
            if ((long)n * 1 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first 32-byte boundary.
                {
                    var a = op.Invoke(Vector256.LoadUnsafe(ref s, i));
                    var b = op.Invoke(Vector256.LoadUnsafe(ref s, i + 8));
                    var c = op.Invoke(Vector256.LoadUnsafe(ref s, i + (2 * 8)));
                    var e = op.Invoke(Vector256.LoadUnsafe(ref s, i + (3 * 8)));
                    Store(Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, e)).AsByte(), d, i);
                }

                i = ((nuint)Vector256<byte>.Count - ((nuint)d % (nuint)Vector256<byte>.Count)) % (nuint)Vector256<byte>.Count / 1;
                for (; i + step <= n; i += step)
                {
                    var a = op.Invoke(Vector256.LoadUnsafe(ref s, i));
                    var b = op.Invoke(Vector256.LoadUnsafe(ref s, i + 8));
                    var c = op.Invoke(Vector256.LoadUnsafe(ref s, i + (2 * 8)));
                    var e = op.Invoke(Vector256.LoadUnsafe(ref s, i + (3 * 8)));
                    StoreNonTemporal(Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, e)).AsByte(), d, i);
                }

                if (i < n)
                {
                    i = n - step;
                    var a = op.Invoke(Vector256.LoadUnsafe(ref s, i));
                    var b = op.Invoke(Vector256.LoadUnsafe(ref s, i + 8));
                    var c = op.Invoke(Vector256.LoadUnsafe(ref s, i + (2 * 8)));
                    var e = op.Invoke(Vector256.LoadUnsafe(ref s, i + (3 * 8)));
                    Store(Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, e)).AsByte(), d, i);
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                var a = op.Invoke(Vector256.LoadUnsafe(ref s, i));
                var b = op.Invoke(Vector256.LoadUnsafe(ref s, i + 8));
                var c = op.Invoke(Vector256.LoadUnsafe(ref s, i + (2 * 8)));
                var e = op.Invoke(Vector256.LoadUnsafe(ref s, i + (3 * 8)));
                Store(Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, e)).AsByte(), d, i);
            }
        }
    }

    private static void FloatToBits16256<TOp>(TOp op, ReadOnlySpan<float> source, Span<ushort> destination)
        where TOp : struct, IFloatToBits16Operator
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector256<ushort>.Count;
        fixed (ushort* d = destination)
        {
            nuint i = 0;
            if ((long)n * 2 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first 32-byte boundary.
                {
                    Store(Vector256.Narrow(op.Invoke(Vector256.LoadUnsafe(ref s, i)), op.Invoke(Vector256.LoadUnsafe(ref s, i + 8))), d, i);
                }

                i = ((nuint)Vector256<byte>.Count - ((nuint)d % (nuint)Vector256<byte>.Count)) % (nuint)Vector256<byte>.Count / 2;
                for (; i + step <= n; i += step)
                {
                    StoreNonTemporal(Vector256.Narrow(op.Invoke(Vector256.LoadUnsafe(ref s, i)), op.Invoke(Vector256.LoadUnsafe(ref s, i + 8))), d, i);
                }

                if (i < n)
                {
                    i = n - step;
                    Store(Vector256.Narrow(op.Invoke(Vector256.LoadUnsafe(ref s, i)), op.Invoke(Vector256.LoadUnsafe(ref s, i + 8))), d, i);
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                Store(Vector256.Narrow(op.Invoke(Vector256.LoadUnsafe(ref s, i)), op.Invoke(Vector256.LoadUnsafe(ref s, i + 8))), d, i);
            }
        }
    }

    private static void ByteToFloat256<TOp>(TOp op, ReadOnlySpan<byte> source, bool signed, Span<float> destination)
        where TOp : struct, IIntToFloatOperator
    {
        ref byte s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector256<byte>.Count;
        fixed (float* d = destination)
        {
            nuint i = 0;
            if ((long)n * 4 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first 32-byte boundary.
                {
                    var bytes = Vector256.LoadUnsafe(ref s, i);
                    Vector256<int> a, b, c, e;
                    if (signed)
                    {
                        var (lower, upper) = Vector256.Widen(bytes.AsSByte());
                        (a, b) = Vector256.Widen(lower);
                        (c, e) = Vector256.Widen(upper);
                    }
                    else
                    {
                        var (lower, upper) = Vector256.Widen(bytes);
                        (a, b) = Vector256.Widen(lower.AsInt16());
                        (c, e) = Vector256.Widen(upper.AsInt16());
                    }

                    Store(op.Invoke(a), d, i);
                    Store(op.Invoke(b), d, i + 8);
                    Store(op.Invoke(c), d, i + (2 * 8));
                    Store(op.Invoke(e), d, i + (3 * 8));
                }

                i = ((nuint)Vector256<byte>.Count - ((nuint)d % (nuint)Vector256<byte>.Count)) % (nuint)Vector256<byte>.Count / 4;
                for (; i + step <= n; i += step)
                {
                    var bytes = Vector256.LoadUnsafe(ref s, i);
                    Vector256<int> a, b, c, e;
                    if (signed)
                    {
                        var (lower, upper) = Vector256.Widen(bytes.AsSByte());
                        (a, b) = Vector256.Widen(lower);
                        (c, e) = Vector256.Widen(upper);
                    }
                    else
                    {
                        var (lower, upper) = Vector256.Widen(bytes);
                        (a, b) = Vector256.Widen(lower.AsInt16());
                        (c, e) = Vector256.Widen(upper.AsInt16());
                    }

                    StoreNonTemporal(op.Invoke(a), d, i);
                    StoreNonTemporal(op.Invoke(b), d, i + 8);
                    StoreNonTemporal(op.Invoke(c), d, i + (2 * 8));
                    StoreNonTemporal(op.Invoke(e), d, i + (3 * 8));
                }

                if (i < n)
                {
                    i = n - step;
                    var bytes = Vector256.LoadUnsafe(ref s, i);
                    Vector256<int> a, b, c, e;
                    if (signed)
                    {
                        var (lower, upper) = Vector256.Widen(bytes.AsSByte());
                        (a, b) = Vector256.Widen(lower);
                        (c, e) = Vector256.Widen(upper);
                    }
                    else
                    {
                        var (lower, upper) = Vector256.Widen(bytes);
                        (a, b) = Vector256.Widen(lower.AsInt16());
                        (c, e) = Vector256.Widen(upper.AsInt16());
                    }

                    Store(op.Invoke(a), d, i);
                    Store(op.Invoke(b), d, i + 8);
                    Store(op.Invoke(c), d, i + (2 * 8));
                    Store(op.Invoke(e), d, i + (3 * 8));
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                var bytes = Vector256.LoadUnsafe(ref s, i);
                Vector256<int> a, b, c, e;
                if (signed)
                {
                    var (lower, upper) = Vector256.Widen(bytes.AsSByte());
                    (a, b) = Vector256.Widen(lower);
                    (c, e) = Vector256.Widen(upper);
            }
            else
            {
                var (lower, upper) = Vector256.Widen(bytes);
                (a, b) = Vector256.Widen(lower.AsInt16());
                (c, e) = Vector256.Widen(upper.AsInt16());
            }

            Store(op.Invoke(a), d, i);
            Store(op.Invoke(b), d, i + 8);
            Store(op.Invoke(c), d, i + (2 * 8));
            Store(op.Invoke(e), d, i + (3 * 8));
            }
        }
    }

    private static void Bits16ToFloat256<TOp>(TOp op, ReadOnlySpan<ushort> source, Span<float> destination)
        where TOp : struct, IBits16ToFloatOperator
    {
        ref ushort s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector256<ushort>.Count;
        fixed (float* d = destination)
        {
            nuint i = 0;
            if ((long)n * 4 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first 32-byte boundary.
                {
                    var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref s, i));
                    Store(op.Invoke(lower), d, i);
                    Store(op.Invoke(upper), d, i + 8);
                }

                i = ((nuint)Vector256<byte>.Count - ((nuint)d % (nuint)Vector256<byte>.Count)) % (nuint)Vector256<byte>.Count / 4;
                for (; i + step <= n; i += step)
                {
                    var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref s, i));
                    StoreNonTemporal(op.Invoke(lower), d, i);
                    StoreNonTemporal(op.Invoke(upper), d, i + 8);
                }

                if (i < n)
                {
                    i = n - step;
                    var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref s, i));
                    Store(op.Invoke(lower), d, i);
                    Store(op.Invoke(upper), d, i + 8);
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref s, i));
                Store(op.Invoke(lower), d, i);
                Store(op.Invoke(upper), d, i + 8);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector256<T> value, T* destination, nuint index)
        where T : unmanaged => value.Store(destination + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreNonTemporal<T>(Vector256<T> value, T* destination, nuint index)
        where T : unmanaged => value.StoreAlignedNonTemporal(destination + index);

    private static void FloatToByte128<TOp>(TOp op, ReadOnlySpan<float> source, Span<byte> destination)
        where TOp : struct, IFloatToIntOperator
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector128<byte>.Count;
        fixed (byte* d = destination)
        {
            nuint i = 0;
            if ((long)n * 1 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first 16-byte boundary.
                {
                    var a = op.Invoke(Vector128.LoadUnsafe(ref s, i));
                    var b = op.Invoke(Vector128.LoadUnsafe(ref s, i + 4));
                    var c = op.Invoke(Vector128.LoadUnsafe(ref s, i + (2 * 4)));
                    var e = op.Invoke(Vector128.LoadUnsafe(ref s, i + (3 * 4)));
                    Store(Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(c, e)).AsByte(), d, i);
                }

                i = ((nuint)Vector128<byte>.Count - ((nuint)d % (nuint)Vector128<byte>.Count)) % (nuint)Vector128<byte>.Count / 1;
                for (; i + step <= n; i += step)
                {
                    var a = op.Invoke(Vector128.LoadUnsafe(ref s, i));
                    var b = op.Invoke(Vector128.LoadUnsafe(ref s, i + 4));
                    var c = op.Invoke(Vector128.LoadUnsafe(ref s, i + (2 * 4)));
                    var e = op.Invoke(Vector128.LoadUnsafe(ref s, i + (3 * 4)));
                    StoreNonTemporal(Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(c, e)).AsByte(), d, i);
                }

                if (i < n)
                {
                    i = n - step;
                    var a = op.Invoke(Vector128.LoadUnsafe(ref s, i));
                    var b = op.Invoke(Vector128.LoadUnsafe(ref s, i + 4));
                    var c = op.Invoke(Vector128.LoadUnsafe(ref s, i + (2 * 4)));
                    var e = op.Invoke(Vector128.LoadUnsafe(ref s, i + (3 * 4)));
                    Store(Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(c, e)).AsByte(), d, i);
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                var a = op.Invoke(Vector128.LoadUnsafe(ref s, i));
                var b = op.Invoke(Vector128.LoadUnsafe(ref s, i + 4));
                var c = op.Invoke(Vector128.LoadUnsafe(ref s, i + (2 * 4)));
                var e = op.Invoke(Vector128.LoadUnsafe(ref s, i + (3 * 4)));
                Store(Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(c, e)).AsByte(), d, i);
            }
        }
    }

    private static void FloatToBits16128<TOp>(TOp op, ReadOnlySpan<float> source, Span<ushort> destination)
        where TOp : struct, IFloatToBits16Operator
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector128<ushort>.Count;
        fixed (ushort* d = destination)
        {
            nuint i = 0;
            if ((long)n * 2 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first 16-byte boundary.
                {
                    Store(Vector128.Narrow(op.Invoke(Vector128.LoadUnsafe(ref s, i)), op.Invoke(Vector128.LoadUnsafe(ref s, i + 4))), d, i);
                }

                i = ((nuint)Vector128<byte>.Count - ((nuint)d % (nuint)Vector128<byte>.Count)) % (nuint)Vector128<byte>.Count / 2;
                for (; i + step <= n; i += step)
                {
                    StoreNonTemporal(Vector128.Narrow(op.Invoke(Vector128.LoadUnsafe(ref s, i)), op.Invoke(Vector128.LoadUnsafe(ref s, i + 4))), d, i);
                }

                if (i < n)
                {
                    i = n - step;
                    Store(Vector128.Narrow(op.Invoke(Vector128.LoadUnsafe(ref s, i)), op.Invoke(Vector128.LoadUnsafe(ref s, i + 4))), d, i);
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                Store(Vector128.Narrow(op.Invoke(Vector128.LoadUnsafe(ref s, i)), op.Invoke(Vector128.LoadUnsafe(ref s, i + 4))), d, i);
            }
        }
    }

    private static void ByteToFloat128<TOp>(TOp op, ReadOnlySpan<byte> source, bool signed, Span<float> destination)
        where TOp : struct, IIntToFloatOperator
    {
        ref byte s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector128<byte>.Count;
        fixed (float* d = destination)
        {
            nuint i = 0;
            if ((long)n * 4 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first 16-byte boundary.
                {
                    var bytes = Vector128.LoadUnsafe(ref s, i);
                    Vector128<int> a, b, c, e;
                    if (signed)
                    {
                        var (lower, upper) = Vector128.Widen(bytes.AsSByte());
                        (a, b) = Vector128.Widen(lower);
                        (c, e) = Vector128.Widen(upper);
                    }
                    else
                    {
                        var (lower, upper) = Vector128.Widen(bytes);
                        (a, b) = Vector128.Widen(lower.AsInt16());
                        (c, e) = Vector128.Widen(upper.AsInt16());
                    }

                    Store(op.Invoke(a), d, i);
                    Store(op.Invoke(b), d, i + 4);
                    Store(op.Invoke(c), d, i + (2 * 4));
                    Store(op.Invoke(e), d, i + (3 * 4));
                }

                i = ((nuint)Vector128<byte>.Count - ((nuint)d % (nuint)Vector128<byte>.Count)) % (nuint)Vector128<byte>.Count / 4;
                for (; i + step <= n; i += step)
                {
                    var bytes = Vector128.LoadUnsafe(ref s, i);
                    Vector128<int> a, b, c, e;
                    if (signed)
                    {
                        var (lower, upper) = Vector128.Widen(bytes.AsSByte());
                        (a, b) = Vector128.Widen(lower);
                        (c, e) = Vector128.Widen(upper);
                    }
                    else
                    {
                        var (lower, upper) = Vector128.Widen(bytes);
                        (a, b) = Vector128.Widen(lower.AsInt16());
                        (c, e) = Vector128.Widen(upper.AsInt16());
                    }

                    StoreNonTemporal(op.Invoke(a), d, i);
                    StoreNonTemporal(op.Invoke(b), d, i + 4);
                    StoreNonTemporal(op.Invoke(c), d, i + (2 * 4));
                    StoreNonTemporal(op.Invoke(e), d, i + (3 * 4));
                }

                if (i < n)
                {
                    i = n - step;
                    var bytes = Vector128.LoadUnsafe(ref s, i);
                    Vector128<int> a, b, c, e;
                    if (signed)
                    {
                        var (lower, upper) = Vector128.Widen(bytes.AsSByte());
                        (a, b) = Vector128.Widen(lower);
                        (c, e) = Vector128.Widen(upper);
                    }
                    else
                    {
                        var (lower, upper) = Vector128.Widen(bytes);
                        (a, b) = Vector128.Widen(lower.AsInt16());
                        (c, e) = Vector128.Widen(upper.AsInt16());
                    }

                    Store(op.Invoke(a), d, i);
                    Store(op.Invoke(b), d, i + 4);
                    Store(op.Invoke(c), d, i + (2 * 4));
                    Store(op.Invoke(e), d, i + (3 * 4));
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                var bytes = Vector128.LoadUnsafe(ref s, i);
                Vector128<int> a, b, c, e;
                if (signed)
                {
                    var (lower, upper) = Vector128.Widen(bytes.AsSByte());
                    (a, b) = Vector128.Widen(lower);
                    (c, e) = Vector128.Widen(upper);
            }
            else
            {
                var (lower, upper) = Vector128.Widen(bytes);
                (a, b) = Vector128.Widen(lower.AsInt16());
                (c, e) = Vector128.Widen(upper.AsInt16());
            }

            Store(op.Invoke(a), d, i);
            Store(op.Invoke(b), d, i + 4);
            Store(op.Invoke(c), d, i + (2 * 4));
            Store(op.Invoke(e), d, i + (3 * 4));
            }
        }
    }

    private static void Bits16ToFloat128<TOp>(TOp op, ReadOnlySpan<ushort> source, Span<float> destination)
        where TOp : struct, IBits16ToFloatOperator
    {
        ref ushort s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector128<ushort>.Count;
        fixed (float* d = destination)
        {
            nuint i = 0;
            if ((long)n * 4 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first 16-byte boundary.
                {
                    var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref s, i));
                    Store(op.Invoke(lower), d, i);
                    Store(op.Invoke(upper), d, i + 4);
                }

                i = ((nuint)Vector128<byte>.Count - ((nuint)d % (nuint)Vector128<byte>.Count)) % (nuint)Vector128<byte>.Count / 4;
                for (; i + step <= n; i += step)
                {
                    var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref s, i));
                    StoreNonTemporal(op.Invoke(lower), d, i);
                    StoreNonTemporal(op.Invoke(upper), d, i + 4);
                }

                if (i < n)
                {
                    i = n - step;
                    var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref s, i));
                    Store(op.Invoke(lower), d, i);
                    Store(op.Invoke(upper), d, i + 4);
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref s, i));
                Store(op.Invoke(lower), d, i);
                Store(op.Invoke(upper), d, i + 4);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector128<T> value, T* destination, nuint index)
        where T : unmanaged => value.Store(destination + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreNonTemporal<T>(Vector128<T> value, T* destination, nuint index)
        where T : unmanaged => value.StoreAlignedNonTemporal(destination + index);

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
