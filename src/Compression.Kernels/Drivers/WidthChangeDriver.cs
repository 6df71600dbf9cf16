using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

/// <summary>
/// Loops for elementwise kernels that change the element width: float to byte (4:1), float to 16 bits (2:1),
/// byte to float (1:4) and 16 bits to float (1:2). Each width runs whole steps (a full vector of the narrow type),
/// then finishes with one step overlapping the previous one, which is safe because the operators are elementwise
/// and the source never aliases the destination (different element types). Inputs shorter than one step of the
/// chosen width fall to the next narrower width, then to the scalar operator.
/// </summary>
internal static class WidthChangeDriver
{
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
        ref byte d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector512<byte>.Count;
        for (nuint i = 0; i < n; i = Next(i, step, n))
        {
            var a = op.Invoke(Vector512.LoadUnsafe(ref s, i));
            var b = op.Invoke(Vector512.LoadUnsafe(ref s, i + 16));
            var c = op.Invoke(Vector512.LoadUnsafe(ref s, i + (2 * 16)));
            var e = op.Invoke(Vector512.LoadUnsafe(ref s, i + (3 * 16)));
            Vector512.Narrow(Vector512.Narrow(a, b), Vector512.Narrow(c, e)).AsByte().StoreUnsafe(ref d, i);
        }
    }

    private static void FloatToBits16512<TOp>(TOp op, ReadOnlySpan<float> source, Span<ushort> destination)
        where TOp : struct, IFloatToBits16Operator
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        ref ushort d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector512<ushort>.Count;
        for (nuint i = 0; i < n; i = Next(i, step, n))
        {
            Vector512.Narrow(op.Invoke(Vector512.LoadUnsafe(ref s, i)), op.Invoke(Vector512.LoadUnsafe(ref s, i + 16))).StoreUnsafe(ref d, i);
        }
    }

    private static void ByteToFloat512<TOp>(TOp op, ReadOnlySpan<byte> source, bool signed, Span<float> destination)
        where TOp : struct, IIntToFloatOperator
    {
        ref byte s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector512<byte>.Count;
        for (nuint i = 0; i < n; i = Next(i, step, n))
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

            op.Invoke(a).StoreUnsafe(ref d, i);
            op.Invoke(b).StoreUnsafe(ref d, i + 16);
            op.Invoke(c).StoreUnsafe(ref d, i + (2 * 16));
            op.Invoke(e).StoreUnsafe(ref d, i + (3 * 16));
        }
    }

    private static void Bits16ToFloat512<TOp>(TOp op, ReadOnlySpan<ushort> source, Span<float> destination)
        where TOp : struct, IBits16ToFloatOperator
    {
        ref ushort s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector512<ushort>.Count;
        for (nuint i = 0; i < n; i = Next(i, step, n))
        {
            var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref s, i));
            op.Invoke(lower).StoreUnsafe(ref d, i);
            op.Invoke(upper).StoreUnsafe(ref d, i + 16);
        }
    }

    private static void FloatToByte256<TOp>(TOp op, ReadOnlySpan<float> source, Span<byte> destination)
        where TOp : struct, IFloatToIntOperator
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        ref byte d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector256<byte>.Count;
        for (nuint i = 0; i < n; i = Next(i, step, n))
        {
            var a = op.Invoke(Vector256.LoadUnsafe(ref s, i));
            var b = op.Invoke(Vector256.LoadUnsafe(ref s, i + 8));
            var c = op.Invoke(Vector256.LoadUnsafe(ref s, i + (2 * 8)));
            var e = op.Invoke(Vector256.LoadUnsafe(ref s, i + (3 * 8)));
            Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, e)).AsByte().StoreUnsafe(ref d, i);
        }
    }

    private static void FloatToBits16256<TOp>(TOp op, ReadOnlySpan<float> source, Span<ushort> destination)
        where TOp : struct, IFloatToBits16Operator
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        ref ushort d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector256<ushort>.Count;
        for (nuint i = 0; i < n; i = Next(i, step, n))
        {
            Vector256.Narrow(op.Invoke(Vector256.LoadUnsafe(ref s, i)), op.Invoke(Vector256.LoadUnsafe(ref s, i + 8))).StoreUnsafe(ref d, i);
        }
    }

    private static void ByteToFloat256<TOp>(TOp op, ReadOnlySpan<byte> source, bool signed, Span<float> destination)
        where TOp : struct, IIntToFloatOperator
    {
        ref byte s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector256<byte>.Count;
        for (nuint i = 0; i < n; i = Next(i, step, n))
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

            op.Invoke(a).StoreUnsafe(ref d, i);
            op.Invoke(b).StoreUnsafe(ref d, i + 8);
            op.Invoke(c).StoreUnsafe(ref d, i + (2 * 8));
            op.Invoke(e).StoreUnsafe(ref d, i + (3 * 8));
        }
    }

    private static void Bits16ToFloat256<TOp>(TOp op, ReadOnlySpan<ushort> source, Span<float> destination)
        where TOp : struct, IBits16ToFloatOperator
    {
        ref ushort s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector256<ushort>.Count;
        for (nuint i = 0; i < n; i = Next(i, step, n))
        {
            var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref s, i));
            op.Invoke(lower).StoreUnsafe(ref d, i);
            op.Invoke(upper).StoreUnsafe(ref d, i + 8);
        }
    }

    private static void FloatToByte128<TOp>(TOp op, ReadOnlySpan<float> source, Span<byte> destination)
        where TOp : struct, IFloatToIntOperator
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        ref byte d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector128<byte>.Count;
        for (nuint i = 0; i < n; i = Next(i, step, n))
        {
            var a = op.Invoke(Vector128.LoadUnsafe(ref s, i));
            var b = op.Invoke(Vector128.LoadUnsafe(ref s, i + 4));
            var c = op.Invoke(Vector128.LoadUnsafe(ref s, i + (2 * 4)));
            var e = op.Invoke(Vector128.LoadUnsafe(ref s, i + (3 * 4)));
            Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(c, e)).AsByte().StoreUnsafe(ref d, i);
        }
    }

    private static void FloatToBits16128<TOp>(TOp op, ReadOnlySpan<float> source, Span<ushort> destination)
        where TOp : struct, IFloatToBits16Operator
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        ref ushort d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector128<ushort>.Count;
        for (nuint i = 0; i < n; i = Next(i, step, n))
        {
            Vector128.Narrow(op.Invoke(Vector128.LoadUnsafe(ref s, i)), op.Invoke(Vector128.LoadUnsafe(ref s, i + 4))).StoreUnsafe(ref d, i);
        }
    }

    private static void ByteToFloat128<TOp>(TOp op, ReadOnlySpan<byte> source, bool signed, Span<float> destination)
        where TOp : struct, IIntToFloatOperator
    {
        ref byte s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector128<byte>.Count;
        for (nuint i = 0; i < n; i = Next(i, step, n))
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

            op.Invoke(a).StoreUnsafe(ref d, i);
            op.Invoke(b).StoreUnsafe(ref d, i + 4);
            op.Invoke(c).StoreUnsafe(ref d, i + (2 * 4));
            op.Invoke(e).StoreUnsafe(ref d, i + (3 * 4));
        }
    }

    private static void Bits16ToFloat128<TOp>(TOp op, ReadOnlySpan<ushort> source, Span<float> destination)
        where TOp : struct, IBits16ToFloatOperator
    {
        ref ushort s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length;
        nuint step = (nuint)Vector128<ushort>.Count;
        for (nuint i = 0; i < n; i = Next(i, step, n))
        {
            var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref s, i));
            op.Invoke(lower).StoreUnsafe(ref d, i);
            op.Invoke(upper).StoreUnsafe(ref d, i + 4);
        }
    }
}
