using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Compression.Kernels.FourBit;

/// <summary>
/// Transposes a row-major byte matrix <c>[rows, columns]</c> (row stride <c>sourceStride</c>) into per-column runs:
/// column <c>c</c> goes to <c>destination[c * columnStride + r]</c>. 16x16 tiles use SSE2 unpacks (4 stages of
/// byte/word/dword/qword interleaves); other sizes and machines use the scalar loop.
/// </summary>
internal static class ByteTranspose
{
    public static void Transpose(ReadOnlySpan<byte> source, int sourceStride, int rows, int columns, Span<byte> destination, int columnStride, KernelIsa isa)
    {
        int doneColumns = 0;
        if (isa != KernelIsa.Scalar && Sse2.IsSupported && rows % 16 == 0)
        {
            for (; doneColumns + 16 <= columns; doneColumns += 16)
            {
                for (int r = 0; r < rows; r += 16)
                {
                    Tile16(ref Unsafe.Add(ref MemoryMarshal.GetReference(source), (r * sourceStride) + doneColumns), sourceStride, ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), (doneColumns * columnStride) + r), columnStride);
                }
            }
        }

        for (int c = doneColumns; c < columns; c++)
        {
            Span<byte> target = destination.Slice(c * columnStride, rows);
            for (int r = 0; r < rows; r++)
            {
                target[r] = source[(r * sourceStride) + c];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile16(ref byte source, int sourceStride, ref byte destination, int destinationStride)
    {
        Span<Vector128<byte>> a = stackalloc Vector128<byte>[16];
        for (int i = 0; i < 8; i++)
        {
            var r0 = Vector128.LoadUnsafe(ref source, (nuint)(2 * i * sourceStride));
            var r1 = Vector128.LoadUnsafe(ref source, (nuint)(((2 * i) + 1) * sourceStride));
            a[2 * i] = Sse2.UnpackLow(r0, r1);
            a[(2 * i) + 1] = Sse2.UnpackHigh(r0, r1);
        }

        // b[4g + m]: rows 4g..4g+3, columns 4m..4m+3 (4 bytes each).
        Span<Vector128<byte>> b = stackalloc Vector128<byte>[16];
        for (int g = 0; g < 4; g++)
        {
            var lo0 = a[4 * g].AsUInt16();
            var hi0 = a[(4 * g) + 1].AsUInt16();
            var lo1 = a[(4 * g) + 2].AsUInt16();
            var hi1 = a[(4 * g) + 3].AsUInt16();
            b[4 * g] = Sse2.UnpackLow(lo0, lo1).AsByte();
            b[(4 * g) + 1] = Sse2.UnpackHigh(lo0, lo1).AsByte();
            b[(4 * g) + 2] = Sse2.UnpackLow(hi0, hi1).AsByte();
            b[(4 * g) + 3] = Sse2.UnpackHigh(hi0, hi1).AsByte();
        }

        // c[8h + 2m + s]: rows 8h..8h+7, columns 2(2m + s)..+1 (8 bytes each).
        Span<Vector128<byte>> c = stackalloc Vector128<byte>[16];
        for (int h = 0; h < 2; h++)
        {
            for (int m = 0; m < 4; m++)
            {
                var x = b[(8 * h) + m].AsUInt32();
                var y = b[(8 * h) + 4 + m].AsUInt32();
                c[(8 * h) + (2 * m)] = Sse2.UnpackLow(x, y).AsByte();
                c[(8 * h) + (2 * m) + 1] = Sse2.UnpackHigh(x, y).AsByte();
            }
        }

        for (int m = 0; m < 8; m++)
        {
            var x = c[m].AsUInt64();
            var y = c[8 + m].AsUInt64();
            Sse2.UnpackLow(x, y).AsByte().StoreUnsafe(ref destination, (nuint)(2 * m * destinationStride));
            Sse2.UnpackHigh(x, y).AsByte().StoreUnsafe(ref destination, (nuint)(((2 * m) + 1) * destinationStride));
        }
    }
}
