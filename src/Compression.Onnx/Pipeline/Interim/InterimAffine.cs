namespace Compression.Onnx.Quantization;

// Interim ORT-exact affine quantization until the kernels branch lands on main (then this folder is deleted).
internal static class InterimAffine
{
    /// <summary>onnxruntime.quantization.quant_utils.compute_scale_zp: range widened to include 0, scale in double then float.</summary>
    public static (float Scale, int ZeroPoint) Parameters(float min, float max, int qmin, int qmax, bool symmetric)
    {
        float rmin = MathF.Min(min, 0f);
        float rmax = MathF.Max(max, 0f);
        if (symmetric)
        {
            float absMax = MathF.Max(MathF.Abs(rmin), MathF.Abs(rmax));
            rmin = -absMax;
            rmax = absMax;
        }

        double scale = (double)(rmax - rmin) / (qmax - qmin);
        // numpy.finfo(float32).tiny, the smallest normal float: below it ORT uses scale 1, zero point 0.
        if (!(scale >= 1.1754943508222875e-38))
        {
            return (1f, 0);
        }

        int zp = symmetric
            ? (int)Math.Round((qmin + qmax) / 2.0, MidpointRounding.ToEven)
            : (int)Math.Round(qmin - rmin / scale, MidpointRounding.ToEven);
        return ((float)scale, zp);
    }

    public static void QuantizeInt8(ReadOnlySpan<float> values, int outer, int channels, int inner, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, int qmin, int qmax, Span<sbyte> destination)
    {
        int i = 0;
        for (int o = 0; o < outer; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                float s = scales[c];
                int z = zeroPoints[c];
                for (int k = 0; k < inner; k++, i++)
                {
                    destination[i] = (sbyte)Math.Clamp(MathF.Round(values[i] / s, MidpointRounding.ToEven) + z, qmin, qmax);
                }
            }
        }
    }

    public static void QuantizeUInt8(ReadOnlySpan<float> values, int outer, int channels, int inner, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, int qmin, int qmax, Span<byte> destination)
    {
        int i = 0;
        for (int o = 0; o < outer; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                float s = scales[c];
                int z = zeroPoints[c];
                for (int k = 0; k < inner; k++, i++)
                {
                    destination[i] = (byte)Math.Clamp(MathF.Round(values[i] / s, MidpointRounding.ToEven) + z, qmin, qmax);
                }
            }
        }
    }

    public static void MinMaxPerChannel(ReadOnlySpan<float> values, int outer, int channels, int inner, Span<float> min, Span<float> max)
    {
        min.Fill(float.PositiveInfinity);
        max.Fill(float.NegativeInfinity);
        int i = 0;
        for (int o = 0; o < outer; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int k = 0; k < inner; k++, i++)
                {
                    min[c] = MathF.Min(min[c], values[i]);
                    max[c] = MathF.Max(max[c], values[i]);
                }
            }
        }
    }
}
