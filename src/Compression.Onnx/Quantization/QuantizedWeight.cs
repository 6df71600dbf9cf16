using System.Runtime.InteropServices;
using Compression.Kernels;
using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Quantization;

/// <summary>
/// A float weight stored as 8-bit integers with ONNX Runtime's affine parameters (per tensor or per channel along
/// <see cref="Axis"/>): <c>w ≈ scale[c] * (q - zeroPoint[c])</c>.
/// </summary>
internal sealed class QuantizedWeight
{
    public required long[] Dims { get; init; }

    /// <summary>The channel axis, or <see langword="null"/> for one scale for the whole tensor.</summary>
    public int? Axis { get; init; }

    public required bool Signed { get; init; }

    public required bool Symmetric { get; init; }

    /// <summary>The quantized values as stored bytes (two's complement for int8).</summary>
    public required byte[] Data { get; init; }

    public required float[] Scales { get; init; }

    public required int[] ZeroPoints { get; init; }

    public DataType ElementType => Signed ? DataType.Int8 : DataType.Uint8;

    /// <summary>Whether every zero point is 0 so the zero-point input can be left out.</summary>
    public bool ZeroPointsAreZero => Array.TrueForAll(ZeroPoints, z => z == 0);

    /// <summary>
    /// Quantizes <c>values</c> per tensor or per channel along <c>axis</c>. With <c>reduceRange</c> (Int8 only) the values
    /// are stored in [-64, 64] (ONNX Runtime's <c>reduce_range</c>) so that no pair of uint8 x int8 products exceeds int16
    /// (the portable form, <see cref="WeightRange.Portable"/>); every stored value is guaranteed inside that range.
    /// </summary>
    public static QuantizedWeight Quantize(ReadOnlySpan<float> values, long[] dims, int? axis, bool signed, bool symmetric, bool reduceRange = false)
    {
        var type = signed ? QuantizedType.Int8 : QuantizedType.UInt8;
        int channels = 1, outer = values.Length, inner = 1;
        if (axis is int a)
        {
            channels = (int)dims[a];
            outer = 1;
            for (int i = 0; i < a; i++) outer *= (int)dims[i];
            inner = values.Length / (outer * channels);
        }
        else
        {
            outer = 1;
            inner = values.Length;
        }

        // ONNX Runtime's quantize_dynamic rules (Compression.Kernels): range widened to 0, int8 symmetric [-127, 127].
        var min = new float[channels];
        var max = new float[channels];
        RangeKernels.MinMaxPerChannel(values, outer, channels, inner, min, max);
        var scales = new float[channels];
        var zeroPoints = new int[channels];
        for (int c = 0; c < channels; c++) (scales[c], zeroPoints[c]) = QuantizationParameters.Compute(min[c], max[c], type, symmetric, reduceRange);

        var data = new byte[values.Length];
        if (signed)
        {
            var signedData = MemoryMarshal.Cast<byte, sbyte>(data.AsSpan());
            AffineQuantizer.QuantizePerChannel(values, outer, channels, inner, scales, zeroPoints, signedData);
            if (reduceRange) ClampToRange(signedData, QuantizationParameters.QuantizedRange(type, symmetric, reduceRange));
        }
        else
        {
            AffineQuantizer.QuantizePerChannel(values, outer, channels, inner, scales, zeroPoints, data);
        }

        return new QuantizedWeight { Dims = dims, Axis = axis, Signed = signed, Symmetric = symmetric, Data = data, Scales = scales, ZeroPoints = zeroPoints };
    }

    /// <summary>
    /// The same integers stored as uint8 with the zero point moved by 128 (<c>q + 128</c>, <c>z + 128</c>): equal
    /// products, but ONNX Runtime then runs the u8 x u8 kernels, which widen both operands before multiplying.
    /// </summary>
    public QuantizedWeight AsUnsignedOffset()
    {
        if (!Signed) return this;
        var data = new byte[Data.Length];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)(Data[i] ^ 0x80);
        return new QuantizedWeight { Dims = Dims, Axis = Axis, Signed = false, Symmetric = Symmetric, Data = data, Scales = Scales, ZeroPoints = Array.ConvertAll(ZeroPoints, z => z + 128) };
    }

    /// <summary>
    /// QuantizeLinear saturates only to the storage range [-128, 127]. An asymmetric range's zero point is rounded
    /// separately from the values (and the float32 scale is rounded too), so an end value can land one step past the
    /// reduced range; clamping moves it back by that step and makes the [-64, 64] bound hold for every stored weight.
    /// </summary>
    private static void ClampToRange(Span<sbyte> data, (int Min, int Max) range)
    {
        for (int i = 0; i < data.Length; i++) data[i] = (sbyte)Math.Clamp(data[i], range.Min, range.Max);
    }

    /// <summary>Sum of squared differences between <paramref name="values"/> and their dequantized form.</summary>
    public double SquaredError(ReadOnlySpan<float> values)
    {
        int channels = Scales.Length, outer = 1;
        if (Axis is int a)
        {
            for (int i = 0; i < a; i++) outer *= (int)Dims[i];
        }

        int inner = values.Length / (outer * channels);
        double sum = 0;
        int k = 0;
        for (int o = 0; o < outer; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                float scale = Scales[c];
                int zero = ZeroPoints[c];
                for (int j = 0; j < inner; j++, k++)
                {
                    int q = Signed ? unchecked((sbyte)Data[k]) : Data[k];
                    double d = values[k] - (double)scale * (q - zero);
                    sum += d * d;
                }
            }
        }

        return sum;
    }

    public TensorProto DataTensor(string name) => TensorData.CreateFromRawBytes(name, (int)ElementType, Dims, (byte[])Data.Clone());

    public TensorProto ScaleTensor(string name) => TensorData.CreateFloat(name, Axis is null ? [] : [Scales.Length], Scales);

    public TensorProto ZeroPointTensor(string name)
    {
        var bytes = new byte[ZeroPoints.Length];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = unchecked((byte)ZeroPoints[i]);
        return TensorData.CreateFromRawBytes(name, (int)ElementType, Axis is null ? [] : [ZeroPoints.Length], bytes);
    }
}
