using System.Runtime.CompilerServices;

namespace Compression.Kernels;

/// <summary>
/// The per-block rule of ONNX Runtime's 4-bit quantizer (MLAS <c>MlasQuantizeBlockwise</c>, what
/// <c>MatMulNBits</c> weights are made with): block range, scale and zero point, and the rounding of one value.
/// <see cref="BlockQuantizer4Bit.QuantizeMatMulNBits"/> applies it to whole weights; it is public so that
/// searches over candidate scales elsewhere round exactly as the kernel does.
/// </summary>
public static class MlasBlockRule
{
    /// <summary>The block's range, scanned with <c>&lt;</c>/<c>&gt;</c> from +/-<see cref="float.MaxValue"/> as MLAS does, so NaN never enters it.</summary>
    /// <param name="values">The block.</param>
    /// <returns>The smallest and largest value (+/-<see cref="float.MaxValue"/> reversed for an empty or all-NaN block).</returns>
    public static (float Min, float Max) Range(ReadOnlySpan<float> values)
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

    /// <summary>
    /// MLAS <c>range2scale</c> (symmetric: the value of largest magnitude maps to -8, zero point 8) and
    /// <c>range2scalezp</c> (asymmetric: range widened to include 0, <c>scale = (max - min) / 15</c>, zero point
    /// rounded half away from zero and clamped to [0, 15]).
    /// </summary>
    /// <param name="min">Smallest value of the block (possibly shrunk by a clip ratio).</param>
    /// <param name="max">Largest value of the block (possibly shrunk by a clip ratio).</param>
    /// <param name="symmetric">Int4 (implicit zero point 8) rather than UInt4 with a zero point.</param>
    /// <returns>The scale and zero point.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Scale, int ZeroPoint) ScaleAndZeroPoint(float min, float max, bool symmetric)
    {
        if (symmetric)
        {
            float m = Math.Abs(max) > Math.Abs(min) ? max : min;
            return (m / -8f, 8);
        }

        // std::min(min, 0.0f) / std::max(max, 0.0f) exactly, including which zero survives.
        min = 0f < min ? 0f : min;
        max = max < 0f ? 0f : max;
        float scale = (max - min) / 15f;
        float zeroPoint = min;
        if (scale != 0f)
        {
            zeroPoint = 0f - (min / scale);
        }

        int zp = zeroPoint < 0f ? 0 : zeroPoint > 15f ? 15 : (int)MathF.Round(zeroPoint, MidpointRounding.AwayFromZero);
        return (scale, zp);
    }

    /// <summary>One value as MLAS rounds it: <c>clamp(roundf(x * reciprocal + zp), 0, 15)</c>; NaN goes to the zero point.</summary>
    /// <param name="x">The value.</param>
    /// <param name="reciprocal"><c>1 / scale</c> (0 for a zero scale), multiplied rather than divided, as MLAS does.</param>
    /// <param name="zeroPoint">The block's zero point.</param>
    /// <returns>The 4-bit level, 0..15.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int QuantizeLevel(float x, float reciprocal, int zeroPoint)
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
}
