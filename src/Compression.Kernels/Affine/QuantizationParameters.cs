namespace Compression.Kernels;

/// <summary>
/// Scale and zero point of an affine quantization <c>x ≈ (q - ZeroPoint) * Scale</c>.
/// </summary>
/// <param name="Scale">Step between adjacent quantized levels (float32, as stored in the model).</param>
/// <param name="ZeroPoint">Quantized value that represents 0.0.</param>
public readonly record struct QuantizationParameters(float Scale, int ZeroPoint)
{
    /// <summary>
    /// The quantized range ONNX Runtime's quantizer uses for <paramref name="type"/>
    /// (<c>get_qmin_qmax_for_qType</c>): reduced range takes precedence, then the symmetric range
    /// (int8 [-127, 127], uint8 [0, 254]; 4-bit types have no separate symmetric range), else the full range.
    /// </summary>
    public static (int Min, int Max) QuantizedRange(QuantizedType type, bool symmetric = false, bool reduceRange = false) => type switch
    {
        QuantizedType.Int8 => reduceRange ? (-64, 64) : symmetric ? (-127, 127) : (-128, 127),
        QuantizedType.UInt8 => reduceRange ? (0, 127) : symmetric ? (0, 254) : (0, 255),
        QuantizedType.Int4 => reduceRange ? (-4, 3) : (-8, 7),
        QuantizedType.UInt4 => reduceRange ? (0, 7) : (0, 15),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown quantized type."),
    };

    /// <summary>The full range of the storage type, used to saturate (ONNX <c>QuantizeLinear</c>).</summary>
    public static (int Min, int Max) StorageRange(QuantizedType type) => QuantizedRange(type);

    /// <summary>
    /// Scale and zero point for values in [<paramref name="min"/>, <paramref name="max"/>], computed exactly as
    /// ONNX Runtime's <c>compute_scale_zp</c> (quant_utils.py) with its float32/float64 steps:
    /// the range is widened to include 0; when symmetric it becomes [-m, m] with <c>m = max(|min|, |max|)</c>;
    /// <c>scale = float32(float64(max - min) / (qmax - qmin))</c>; the zero point is
    /// <c>round_half_even((qmin + qmax) / 2)</c> when symmetric, else <c>round_half_even(qmin - min / scale)</c>
    /// (in float64, before the scale is rounded to float32). A range narrower than the smallest normal float
    /// (an all-zero tensor) gives scale 1 and zero point 0.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="min"/> or <paramref name="max"/> is NaN or infinite.</exception>
    public static QuantizationParameters Compute(float min, float max, QuantizedType type, bool symmetric, bool reduceRange = false)
    {
        if (!float.IsFinite(min) || !float.IsFinite(max))
        {
            ThrowHelper.Argument(nameof(min), "The range must be finite to quantize: the tensor contains NaN or infinity.");
        }

        var (qmin, qmax) = QuantizedRange(type, symmetric, reduceRange);
        return ComputeUnchecked(min, max, qmin, qmax, symmetric);
    }

    /// <summary>
    /// <see cref="Compute(float, float, QuantizedType, bool, bool)"/> for the values themselves: one fused
    /// min/max pass, then the rule above. An empty span gives scale 1, zero point 0 (as ONNX Runtime).
    /// </summary>
    public static QuantizationParameters Compute(ReadOnlySpan<float> values, QuantizedType type, bool symmetric, bool reduceRange = false)
    {
        if (values.IsEmpty)
        {
            return new QuantizationParameters(1f, 0);
        }

        var (min, max) = RangeKernels.MinMax(values);
        return Compute(min, max, type, symmetric, reduceRange);
    }

    /// <summary>
    /// Per-channel parameters from per-channel ranges (for example from
    /// <see cref="RangeKernels.MinMaxPerChannel(ReadOnlySpan{float}, int, int, int, Span{float}, Span{float})"/>).
    /// </summary>
    public static void Compute(ReadOnlySpan<float> min, ReadOnlySpan<float> max, QuantizedType type, bool symmetric, bool reduceRange, Span<float> scales, Span<int> zeroPoints)
    {
        if (max.Length != min.Length)
        {
            ThrowHelper.LengthMismatch(nameof(max));
        }

        if (scales.Length < min.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(scales));
        }

        if (zeroPoints.Length < min.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(zeroPoints));
        }

        for (int i = 0; i < min.Length; i++)
        {
            var p = Compute(min[i], max[i], type, symmetric, reduceRange);
            scales[i] = p.Scale;
            zeroPoints[i] = p.ZeroPoint;
        }
    }

    /// <summary>
    /// Per-block parameters of a tensor viewed as <c>[outer, axisLength, inner]</c> with blocks along the middle
    /// axis (ONNX opset 21 blocked quantization): each block's range, then
    /// <see cref="Compute(float, float, QuantizedType, bool, bool)"/>. Outputs are <c>[outer, blocks, inner]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A block contains NaN or infinity.</exception>
    public static void ComputePerBlock(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, QuantizedType type, bool symmetric, bool reduceRange, Span<float> scales, Span<int> zeroPoints)
    {
        ThrowHelper.CheckShape(values.Length, outer, axisLength, inner, nameof(values));
        int count = outer * RangeKernels.BlockCount(axisLength, blockSize) * inner;
        if (scales.Length < count)
        {
            ThrowHelper.DestinationTooShort(nameof(scales));
        }

        if (zeroPoints.Length < count)
        {
            ThrowHelper.DestinationTooShort(nameof(zeroPoints));
        }

        float[] rented = System.Buffers.ArrayPool<float>.Shared.Rent(Math.Max(1, 2 * count));
        try
        {
            Span<float> min = rented.AsSpan(0, count);
            Span<float> max = rented.AsSpan(count, count);
            RangeKernels.MinMaxPerBlock(values, outer, axisLength, inner, blockSize, min, max);
            Compute(min, max, type, symmetric, reduceRange, scales, zeroPoints);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(rented);
        }
    }

    // numpy.finfo(float32).tiny: ranges below it give scale 1 (ORT's rule for all-zero tensors).
    private const double SmallestNormal = 1.1754943508222875e-38;

    internal static QuantizationParameters ComputeUnchecked(float min, float max, int qmin, int qmax, bool symmetric)
    {
        // float32 steps, as numpy does them on float32 scalars.
        float rmin = Math.Min(min, 0f);
        float rmax = Math.Max(max, 0f);
        if (symmetric)
        {
            float absMax = Math.Max(Math.Abs(rmin), Math.Abs(rmax));
            rmin = -absMax;
            rmax = absMax;
        }

        // float64 steps: dr is the float32 difference widened, as numpy.array(rmax - rmin, dtype=float64).
        double dr = (double)(rmax - rmin);
        double dq = (double)qmax - qmin;
        double scale = dr / dq;
        if (scale < SmallestNormal)
        {
            return new QuantizationParameters(1f, 0);
        }

        double zeroPoint = symmetric
            ? Math.Round((qmin + qmax) / 2.0, MidpointRounding.ToEven)
            : Math.Round(qmin - (rmin / scale), MidpointRounding.ToEven);
        return new QuantizationParameters((float)scale, (int)zeroPoint);
    }
}
