using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Onnx.FourBit;

/// <summary>
/// One contiguous block of 4-bit weights in ONNX Runtime's <c>MatMulNBits</c> conventions (MLAS
/// <c>MlasQuantizeBlockwise</c>): the same scale, zero point and rounding as
/// <see cref="Compression.Kernels.BlockQuantizer4Bit.QuantizeMatMulNBits"/>, plus a clip-ratio search whose
/// error evaluation is vectorised.
/// </summary>
/// <remarks>
/// Written here rather than calling the kernel because the kernel's search runs 40 scalar passes a block
/// (20 candidate ranges, each re-scanning the block and measuring its error), which is ~10x the time of
/// load + save on a 400 MB model. Here the block's range is scanned once (a ratio scales min and max
/// linearly), candidate errors are measured 8 lanes at a time, and the final rounding stays scalar and exact.
/// </remarks>
internal static class NibbleBlocks
{
    /// <summary>Clip ratios tried: 1.00 down to 0.62 in steps of 0.02 (as the kernel's <c>ClipSearch</c>).</summary>
    internal const int ClipCandidates = 20;

    /// <summary>
    /// Quantizes one block (<paramref name="values"/>, at most <c>target.Length * 2</c> values) into
    /// <paramref name="target"/> (low nibble first). Padding nibbles past the values get the zero point, so
    /// they dequantize to exactly 0. <paramref name="scratch"/> holds at least the block size rounded up to 8.
    /// </summary>
    /// <returns>The block's scale and zero point.</returns>
    public static (float Scale, int ZeroPoint) Quantize(ReadOnlySpan<float> values, bool symmetric, bool search, Span<float> scratch, Span<byte> target)
    {
        (float min, float max) = Range(values);
        var best = FromRange(min, max, symmetric);
        if (search)
        {
            best = Search(values, min, max, symmetric, best, scratch);
        }

        float reciprocal = best.Scale != 0f ? 1f / best.Scale : 0f;
        byte padding = (byte)(best.ZeroPoint | (best.ZeroPoint << 4));
        target.Fill(padding);
        for (int r = 0; r < values.Length; r++)
        {
            int shift = (r & 1) << 2;
            ref byte slot = ref target[r >> 1];
            slot = (byte)((slot & ~(0xF << shift)) | (QuantizeOne(values[r], reciprocal, best.ZeroPoint) << shift));
        }

        return best;
    }

    /// <summary>MLAS's block range: NaN never enters it (comparisons from +/-FLT_MAX).</summary>
    internal static (float Min, float Max) Range(ReadOnlySpan<float> values)
    {
        float min = float.MaxValue;
        float max = -float.MaxValue;
        foreach (float v in values)
        {
            if (v < min)
            {
                min = v;
            }

            if (v > max)
            {
                max = v;
            }
        }

        return (min, max);
    }

    /// <summary>MLAS <c>range2scale</c> (symmetric: <c>m / -8</c>, zp 8) and <c>range2scalezp</c> (asymmetric, range widened to 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (float Scale, int ZeroPoint) FromRange(float min, float max, bool symmetric)
    {
        if (symmetric)
        {
            float m = Math.Abs(max) > Math.Abs(min) ? max : min;
            return (m / -8f, 8);
        }

        min = Math.Min(min, 0f);
        max = Math.Max(max, 0f);
        float scale = (max - min) / 15f;
        float zeroPoint = min;
        if (scale != 0f)
        {
            zeroPoint = 0f - (min / scale);
        }

        int zp = zeroPoint < 0f ? 0 : zeroPoint > 15f ? 15 : (int)MathF.Round(zeroPoint, MidpointRounding.AwayFromZero);
        return (scale, zp);
    }

    /// <summary>MLAS rounding: <c>clamp(round_half_away(x * reciprocal + zp), 0, 15)</c>; NaN goes to the zero point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int QuantizeOne(float x, float reciprocal, int zeroPoint)
    {
        float v = x * reciprocal;
        v += zeroPoint;
        if (float.IsNaN(v))
        {
            return zeroPoint;
        }

        v = MathF.Round(v, MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(v, 0f, 15f);
    }

    /// <summary>The candidate range with the least squared error; ties keep the wider range, so it is never worse than RTN.</summary>
    private static (float Scale, int ZeroPoint) Search(ReadOnlySpan<float> values, float min, float max, bool symmetric, (float Scale, int ZeroPoint) full, Span<float> scratch)
    {
        // Zero padding adds no error: 0 quantizes to the (integer) zero point exactly. NaN counts as 0 too (it
        // quantizes to the zero point), so every candidate sees the same finite data.
        int padded = (values.Length + 7) & ~7;
        Span<float> block = scratch[..padded];
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            block[i] = float.IsNaN(v) ? 0f : v;
        }

        block[values.Length..].Clear();
        var best = full;
        float bestError = Error(block, full.Scale, full.ZeroPoint);
        for (int c = 1; c < ClipCandidates && bestError > 0f; c++)
        {
            float ratio = 1f - (0.02f * c);
            var candidate = FromRange(min * ratio, max * ratio, symmetric);
            float error = Error(block, candidate.Scale, candidate.ZeroPoint);
            if (error < bestError)
            {
                best = candidate;
                bestError = error;
            }
        }

        return best;
    }

    /// <summary>Sum of squared dequantization errors of a block whose length is a multiple of 8.</summary>
    internal static float Error(ReadOnlySpan<float> block, float scale, int zeroPoint)
    {
        float reciprocal = scale != 0f ? 1f / scale : 0f;
        if (Vector256.IsHardwareAccelerated)
        {
            var r = Vector256.Create(reciprocal);
            var z = Vector256.Create((float)zeroPoint);
            var s = Vector256.Create(scale);
            var half = Vector256.Create(0.5f);
            var top = Vector256.Create(15f);
            var sum = Vector256<float>.Zero;
            ref float start = ref MemoryMarshal.GetReference(block);
            for (int i = 0; i < block.Length; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);

                // Negative values clamp to 0 either way, so round-half-away is floor(v + 0.5) on the clamped value.
                var q = Vector256.Min(Vector256.Floor(Vector256.Max((v * r) + z, Vector256<float>.Zero) + half), top);
                var d = ((q - z) * s) - v;
                sum += d * d;
            }

            return Vector256.Sum(sum);
        }

        float total = 0f;
        foreach (float v in block)
        {
            float d = ((QuantizeOne(v, reciprocal, zeroPoint) - zeroPoint) * scale) - v;
            total += d * d;
        }

        return total;
    }
}
