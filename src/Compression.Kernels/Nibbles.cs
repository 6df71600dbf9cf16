using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// 4-bit packing: two values a byte, low nibble first. The vector loop is written once, for Vector512, in Nibbles.Width.cs (VectorWidths.targets derives the narrower copies); the scalar loop
// finishes the tail (and the lone last nibble of an odd count).
internal static partial class Nibbles
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
}
