using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 code of Nibbles, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
internal static partial class Nibbles
{
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
}
