using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 code of WidthChangeDriver, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
internal static unsafe partial class WidthChangeDriver
{
    private static void FloatToByte512<TOp>(TOp op, ReadOnlySpan<float> source, Span<byte> destination)
        where TOp : struct, IFloatToIntOperator
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector512<byte>.Count;
        nuint lanes = (nuint)Vector512<float>.Count;
        fixed (byte* d = destination)
        {
            nuint i = 0;
            if ((long)n * 1 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first vector-aligned address.
                {
                    var a = op.Invoke(Vector512.LoadUnsafe(ref s, i));
                    var b = op.Invoke(Vector512.LoadUnsafe(ref s, i + lanes));
                    var c = op.Invoke(Vector512.LoadUnsafe(ref s, i + (2 * lanes)));
                    var e = op.Invoke(Vector512.LoadUnsafe(ref s, i + (3 * lanes)));
                    Store(Vector512.Narrow(Vector512.Narrow(a, b), Vector512.Narrow(c, e)).AsByte(), d, i);
                }

                i = ((nuint)Vector512<byte>.Count - ((nuint)d % (nuint)Vector512<byte>.Count)) % (nuint)Vector512<byte>.Count / 1;
                for (; i + step <= n; i += step)
                {
                    var a = op.Invoke(Vector512.LoadUnsafe(ref s, i));
                    var b = op.Invoke(Vector512.LoadUnsafe(ref s, i + lanes));
                    var c = op.Invoke(Vector512.LoadUnsafe(ref s, i + (2 * lanes)));
                    var e = op.Invoke(Vector512.LoadUnsafe(ref s, i + (3 * lanes)));
                    StoreNonTemporal(Vector512.Narrow(Vector512.Narrow(a, b), Vector512.Narrow(c, e)).AsByte(), d, i);
                }

                if (i < n)
                {
                    i = n - step;
                    var a = op.Invoke(Vector512.LoadUnsafe(ref s, i));
                    var b = op.Invoke(Vector512.LoadUnsafe(ref s, i + lanes));
                    var c = op.Invoke(Vector512.LoadUnsafe(ref s, i + (2 * lanes)));
                    var e = op.Invoke(Vector512.LoadUnsafe(ref s, i + (3 * lanes)));
                    Store(Vector512.Narrow(Vector512.Narrow(a, b), Vector512.Narrow(c, e)).AsByte(), d, i);
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                var a = op.Invoke(Vector512.LoadUnsafe(ref s, i));
                var b = op.Invoke(Vector512.LoadUnsafe(ref s, i + lanes));
                var c = op.Invoke(Vector512.LoadUnsafe(ref s, i + (2 * lanes)));
                var e = op.Invoke(Vector512.LoadUnsafe(ref s, i + (3 * lanes)));
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
        nuint lanes = (nuint)Vector512<float>.Count;
        fixed (ushort* d = destination)
        {
            nuint i = 0;
            if ((long)n * 2 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first vector-aligned address.
                {
                    Store(Vector512.Narrow(op.Invoke(Vector512.LoadUnsafe(ref s, i)), op.Invoke(Vector512.LoadUnsafe(ref s, i + lanes))), d, i);
                }

                i = ((nuint)Vector512<byte>.Count - ((nuint)d % (nuint)Vector512<byte>.Count)) % (nuint)Vector512<byte>.Count / 2;
                for (; i + step <= n; i += step)
                {
                    StoreNonTemporal(Vector512.Narrow(op.Invoke(Vector512.LoadUnsafe(ref s, i)), op.Invoke(Vector512.LoadUnsafe(ref s, i + lanes))), d, i);
                }

                if (i < n)
                {
                    i = n - step;
                    Store(Vector512.Narrow(op.Invoke(Vector512.LoadUnsafe(ref s, i)), op.Invoke(Vector512.LoadUnsafe(ref s, i + lanes))), d, i);
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                Store(Vector512.Narrow(op.Invoke(Vector512.LoadUnsafe(ref s, i)), op.Invoke(Vector512.LoadUnsafe(ref s, i + lanes))), d, i);
            }
        }
    }

    private static void ByteToFloat512<TOp>(TOp op, ReadOnlySpan<byte> source, bool signed, Span<float> destination)
        where TOp : struct, IIntToFloatOperator
    {
        ref byte s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector512<byte>.Count;
        nuint lanes = (nuint)Vector512<float>.Count;
        fixed (float* d = destination)
        {
            nuint i = 0;
            if ((long)n * 4 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first vector-aligned address.
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
                    Store(op.Invoke(b), d, i + lanes);
                    Store(op.Invoke(c), d, i + (2 * lanes));
                    Store(op.Invoke(e), d, i + (3 * lanes));
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
                    StoreNonTemporal(op.Invoke(b), d, i + lanes);
                    StoreNonTemporal(op.Invoke(c), d, i + (2 * lanes));
                    StoreNonTemporal(op.Invoke(e), d, i + (3 * lanes));
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
                    Store(op.Invoke(b), d, i + lanes);
                    Store(op.Invoke(c), d, i + (2 * lanes));
                    Store(op.Invoke(e), d, i + (3 * lanes));
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
            Store(op.Invoke(b), d, i + lanes);
            Store(op.Invoke(c), d, i + (2 * lanes));
            Store(op.Invoke(e), d, i + (3 * lanes));
            }
        }
    }

    private static void Bits16ToFloat512<TOp>(TOp op, ReadOnlySpan<ushort> source, Span<float> destination)
        where TOp : struct, IBits16ToFloatOperator
    {
        ref ushort s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector512<ushort>.Count;
        nuint lanes = (nuint)Vector512<float>.Count;
        fixed (float* d = destination)
        {
            nuint i = 0;
            if ((long)n * 4 >= NonTemporalBytes)
            {
                // One unaligned step, then aligned streaming stores from the first vector-aligned address.
                {
                    var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref s, i));
                    Store(op.Invoke(lower), d, i);
                    Store(op.Invoke(upper), d, i + lanes);
                }

                i = ((nuint)Vector512<byte>.Count - ((nuint)d % (nuint)Vector512<byte>.Count)) % (nuint)Vector512<byte>.Count / 4;
                for (; i + step <= n; i += step)
                {
                    var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref s, i));
                    StoreNonTemporal(op.Invoke(lower), d, i);
                    StoreNonTemporal(op.Invoke(upper), d, i + lanes);
                }

                if (i < n)
                {
                    i = n - step;
                    var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref s, i));
                    Store(op.Invoke(lower), d, i);
                    Store(op.Invoke(upper), d, i + lanes);
                }

                StoreFence();
                return;
            }

            for (; i < n; i = Next(i, step, n))
            {
                var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref s, i));
                Store(op.Invoke(lower), d, i);
                Store(op.Invoke(upper), d, i + lanes);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector512<T> value, T* destination, nuint index)
        where T : unmanaged => value.Store(destination + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreNonTemporal<T>(Vector512<T> value, T* destination, nuint index)
        where T : unmanaged => value.StoreAlignedNonTemporal(destination + index);
}
