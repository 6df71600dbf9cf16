using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// 4-bit packing: two values a byte, low nibble first. Generated per width from one template; the scalar loop
// finishes the tail (and the lone last nibble of an odd count).
internal static class Nibbles
{
    /// <summary>Packs the low 4 bits of each value; the high nibble of the last byte is 0 for an odd count.</summary>
    public static void Pack(ReadOnlySpan<byte> values, Span<byte> packed, KernelIsa isa)
    {
        int pairs = isa switch
        {
            KernelIsa.Vector512 => Pack512(values, packed),
            KernelIsa.Vector256 => Pack256(values, packed),
            KernelIsa.Vector128 => Pack128(values, packed),
            _ => 0,
        };
        for (int i = pairs; i < values.Length / 2; i++)
        {
            packed[i] = (byte)((values[2 * i] & 0xF) | ((values[(2 * i) + 1] & 0xF) << 4));
        }

        if ((values.Length & 1) == 1)
        {
            packed[values.Length / 2] = (byte)(values[^1] & 0xF);
        }
    }

    /// <summary>Unpacks <c>values.Length</c> nibbles, sign-extending them when <paramref name="signed"/>.</summary>
    public static void Unpack(ReadOnlySpan<byte> packed, Span<byte> values, bool signed, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => Unpack512(packed, values, signed),
            KernelIsa.Vector256 => Unpack256(packed, values, signed),
            KernelIsa.Vector128 => Unpack128(packed, values, signed),
            _ => 0,
        };
        for (int i = done; i < values.Length; i++)
        {
            values[i] = (byte)Int4Kernels.Nibble(packed, i, signed);
        }
    }

    /// <summary>Returns the number of packed bytes written (pairs of values).</summary>
    private static int Pack512(ReadOnlySpan<byte> values, Span<byte> packed)
    {
        ref byte v = ref MemoryMarshal.GetReference(values);
        ref byte p = ref MemoryMarshal.GetReference(packed);
        nuint bytes = (nuint)Vector512<byte>.Count;
        nuint n = (nuint)values.Length;
        nuint i = 0;
        for (; i + (2 * bytes) <= n; i += 2 * bytes)
        {
            // Each 16-bit lane holds (even, odd): keep the even value's low nibble and move the odd one's up.
            var a = Vector512.LoadUnsafe(ref v, i).AsUInt16();
            var b = Vector512.LoadUnsafe(ref v, i + bytes).AsUInt16();
            a = (a & Vector512.Create((ushort)0x000F)) | ((a >> 4) & Vector512.Create((ushort)0x00F0));
            b = (b & Vector512.Create((ushort)0x000F)) | ((b >> 4) & Vector512.Create((ushort)0x00F0));
            Vector512.Narrow(a, b).StoreUnsafe(ref p, i / 2);
        }

        return (int)(i / 2);
    }

    private static int Unpack512(ReadOnlySpan<byte> packed, Span<byte> values, bool signed)
    {
        ref byte p = ref MemoryMarshal.GetReference(packed);
        ref byte v = ref MemoryMarshal.GetReference(values);
        nuint bytes = (nuint)Vector512<byte>.Count;
        nuint n = (nuint)values.Length;
        nuint i = 0;
        for (; i + (2 * bytes) <= n; i += 2 * bytes)
        {
            var (lo, hi) = Vector512.Widen(Vector512.LoadUnsafe(ref p, i / 2));
            var a = ((lo & Vector512.Create((ushort)0x0F)) | ((lo >> 4) << 8)).AsByte();
            var b = ((hi & Vector512.Create((ushort)0x0F)) | ((hi >> 4) << 8)).AsByte();
            if (signed)
            {
                a = (a ^ Vector512.Create((byte)8)) - Vector512.Create((byte)8);
                b = (b ^ Vector512.Create((byte)8)) - Vector512.Create((byte)8);
            }

            a.StoreUnsafe(ref v, i);
            b.StoreUnsafe(ref v, i + bytes);
        }

        return (int)i;
    }

    /// <summary>Returns the number of packed bytes written (pairs of values).</summary>
    private static int Pack256(ReadOnlySpan<byte> values, Span<byte> packed)
    {
        ref byte v = ref MemoryMarshal.GetReference(values);
        ref byte p = ref MemoryMarshal.GetReference(packed);
        nuint bytes = (nuint)Vector256<byte>.Count;
        nuint n = (nuint)values.Length;
        nuint i = 0;
        for (; i + (2 * bytes) <= n; i += 2 * bytes)
        {
            // Each 16-bit lane holds (even, odd): keep the even value's low nibble and move the odd one's up.
            var a = Vector256.LoadUnsafe(ref v, i).AsUInt16();
            var b = Vector256.LoadUnsafe(ref v, i + bytes).AsUInt16();
            a = (a & Vector256.Create((ushort)0x000F)) | ((a >> 4) & Vector256.Create((ushort)0x00F0));
            b = (b & Vector256.Create((ushort)0x000F)) | ((b >> 4) & Vector256.Create((ushort)0x00F0));
            Vector256.Narrow(a, b).StoreUnsafe(ref p, i / 2);
        }

        return (int)(i / 2);
    }

    private static int Unpack256(ReadOnlySpan<byte> packed, Span<byte> values, bool signed)
    {
        ref byte p = ref MemoryMarshal.GetReference(packed);
        ref byte v = ref MemoryMarshal.GetReference(values);
        nuint bytes = (nuint)Vector256<byte>.Count;
        nuint n = (nuint)values.Length;
        nuint i = 0;
        for (; i + (2 * bytes) <= n; i += 2 * bytes)
        {
            var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref p, i / 2));
            var a = ((lo & Vector256.Create((ushort)0x0F)) | ((lo >> 4) << 8)).AsByte();
            var b = ((hi & Vector256.Create((ushort)0x0F)) | ((hi >> 4) << 8)).AsByte();
            if (signed)
            {
                a = (a ^ Vector256.Create((byte)8)) - Vector256.Create((byte)8);
                b = (b ^ Vector256.Create((byte)8)) - Vector256.Create((byte)8);
            }

            a.StoreUnsafe(ref v, i);
            b.StoreUnsafe(ref v, i + bytes);
        }

        return (int)i;
    }

    /// <summary>Returns the number of packed bytes written (pairs of values).</summary>
    private static int Pack128(ReadOnlySpan<byte> values, Span<byte> packed)
    {
        ref byte v = ref MemoryMarshal.GetReference(values);
        ref byte p = ref MemoryMarshal.GetReference(packed);
        nuint bytes = (nuint)Vector128<byte>.Count;
        nuint n = (nuint)values.Length;
        nuint i = 0;
        for (; i + (2 * bytes) <= n; i += 2 * bytes)
        {
            // Each 16-bit lane holds (even, odd): keep the even value's low nibble and move the odd one's up.
            var a = Vector128.LoadUnsafe(ref v, i).AsUInt16();
            var b = Vector128.LoadUnsafe(ref v, i + bytes).AsUInt16();
            a = (a & Vector128.Create((ushort)0x000F)) | ((a >> 4) & Vector128.Create((ushort)0x00F0));
            b = (b & Vector128.Create((ushort)0x000F)) | ((b >> 4) & Vector128.Create((ushort)0x00F0));
            Vector128.Narrow(a, b).StoreUnsafe(ref p, i / 2);
        }

        return (int)(i / 2);
    }

    private static int Unpack128(ReadOnlySpan<byte> packed, Span<byte> values, bool signed)
    {
        ref byte p = ref MemoryMarshal.GetReference(packed);
        ref byte v = ref MemoryMarshal.GetReference(values);
        nuint bytes = (nuint)Vector128<byte>.Count;
        nuint n = (nuint)values.Length;
        nuint i = 0;
        for (; i + (2 * bytes) <= n; i += 2 * bytes)
        {
            var (lo, hi) = Vector128.Widen(Vector128.LoadUnsafe(ref p, i / 2));
            var a = ((lo & Vector128.Create((ushort)0x0F)) | ((lo >> 4) << 8)).AsByte();
            var b = ((hi & Vector128.Create((ushort)0x0F)) | ((hi >> 4) << 8)).AsByte();
            if (signed)
            {
                a = (a ^ Vector128.Create((byte)8)) - Vector128.Create((byte)8);
                b = (b ^ Vector128.Create((byte)8)) - Vector128.Create((byte)8);
            }

            a.StoreUnsafe(ref v, i);
            b.StoreUnsafe(ref v, i + bytes);
        }

        return (int)i;
    }
}
