using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

// The Vector512 code of NMMaskKernels, written once: VectorWidths.targets derives the Vector256 and Vector128 copies.
internal static partial class NMMaskKernels
{
    private static bool Group512(ReadOnlySpan<float> values, int rowStart, int length, int inner, int n, Span<byte> keepMask)
    {
        int W = Vector512<float>.Count;
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
}
