using Compression.Kernels;
using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.FourBit;

/// <summary>
/// 8-bit weight-only storage for weights 4 bits cannot hold in this model's opset (blocked int4
/// <c>DequantizeLinear</c> needs opset 21): int8 symmetric for Int4, uint8 for UInt4, per channel on the axis with the
/// least error. From opset 13 the standard <c>DequantizeLinear</c> (per-axis since 13); before, the
/// <c>com.microsoft</c> one, which ONNX Runtime runs per axis in any opset.
/// </summary>
/// <remarks>
/// A minimal stand-in for the 8-bit helper's weight-only pass (which is not on main yet): same ONNX Runtime
/// scale and zero-point formulas, from the kernels; the pipeline can route these weights to that pass instead.
/// </remarks>
internal sealed class EightBitFallback(OnnxModel model, FourBitOptions options, UniqueNames names, long opset)
{
    /// <summary>Replaces the weight; returns the bytes stored.</summary>
    public long Rewrite(Weight weight, float[] values)
    {
        long[] dims = [.. weight.Dims];
        bool signed = options.Quantize == FourBitType.Int4;
        bool perChannel = true;
        Quantized best = Quantize(values, dims, perChannel ? 0 : -1, signed);
        if (perChannel)
        {
            // A weight-only scale may sit on any axis: keep the one with the least squared error (ties keep the
            // output channels). For a Conv over a short time axis (Silero's STFT basis) it is not axis 0.
            for (int axis = 1; axis < dims.Length; axis++)
            {
                if (dims[axis] > 1)
                {
                    Quantized candidate = Quantize(values, dims, axis, signed);
                    if (candidate.Error < best.Error)
                    {
                        best = candidate;
                    }
                }
            }
        }

        int type = (int)(signed ? TensorProto.Types.DataType.Int8 : TensorProto.Types.DataType.Uint8);
        long[] parameterDims = best.Axis >= 0 ? [best.Scales.Length] : [];
        byte[] zeroBytes = best.ZeroPoints.Select(z => (byte)z).ToArray();
        var tensors = new List<TensorProto>
        {
            TensorData.CreateFromRawBytes(names.Next(weight.Name + "_q8"), type, dims, best.Values),
            TensorData.CreateFloat(names.Next(weight.Name + "_scale"), parameterDims, best.Scales),
            TensorData.CreateFromRawBytes(names.Next(weight.Name + "_zero_point"), type, parameterDims, zeroBytes),
        };

        var node = new NodeProto { OpType = "DequantizeLinear", Name = names.Next(weight.Name + "_dequantize") };
        if (opset < 13)
        {
            node.Domain = Opsets.MicrosoftDomain;
            Opsets.EnsureImport(model.Proto, Opsets.MicrosoftDomain, 1);
        }

        node.Input.AddRange(tensors.Select(t => t.Name));
        node.Output.Add(weight.Name);
        if (best.Axis >= 0)
        {
            NodeAttributes.AddInt(node, "axis", best.Axis);
        }

        weight.ReplaceWith(tensors, [node]);
        return best.Values.Length + (best.Scales.Length * 5L);
    }

    /// <summary>Per-channel along <paramref name="axis"/> (per tensor when -1), with ONNX Runtime's parameters.</summary>
    private Quantized Quantize(float[] values, long[] dims, int axis, bool signed)
    {
        int outer = axis < 0 ? 1 : (int)dims.Take(axis).Aggregate(1L, (a, b) => a * b);
        int channels = axis < 0 ? 1 : (int)dims[axis];
        int inner = values.Length / Math.Max(1, outer * channels);
        var quantized = new byte[values.Length];
        var scales = new float[channels];
        var zeroPoints = new int[channels];
        var restored = new float[values.Length];
        if (signed)
        {
            Span<sbyte> q = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(quantized.AsSpan());
            AffineQuantizer.QuantizeTensorPerChannel(values, outer, channels, inner, options.EffectiveSymmetric, false, scales, zeroPoints, q);
            AffineQuantizer.DequantizePerChannel(q, outer, channels, inner, scales, zeroPoints, restored);
        }
        else
        {
            AffineQuantizer.QuantizeTensorPerChannel(values, outer, channels, inner, options.EffectiveSymmetric, false, scales, zeroPoints, quantized);
            AffineQuantizer.DequantizePerChannel(quantized, outer, channels, inner, scales, zeroPoints, restored);
        }

        double error = ErrorMetrics.Compare(values, restored).MeanSquaredError;
        return new Quantized(axis, quantized, scales, zeroPoints, error);
    }

    private sealed record Quantized(int Axis, byte[] Values, float[] Scales, int[] ZeroPoints, double Error);
}
