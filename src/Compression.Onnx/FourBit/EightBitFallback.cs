using Compression.Kernels;
using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.FourBit;

/// <summary>
/// 8-bit weight-only storage for weights 4 bits cannot hold in this model's opset (blocked int4
/// <c>DequantizeLinear</c> needs opset 21): int8 symmetric for Int4, uint8 for UInt4, per channel (axis 0, or 1 when
/// axis 0 has length 1) from opset 13, per tensor before; below opset 10 (no <c>DequantizeLinear</c>) the
/// <c>com.microsoft</c> one, which ONNX Runtime runs in any opset.
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
        bool symmetric = options.EffectiveSymmetric;
        bool perChannel = opset >= 13;
        int axis = dims[0] > 1 || dims.Length < 2 ? 0 : 1;
        int outer = perChannel ? (int)dims.Take(axis).Aggregate(1L, (a, b) => a * b) : 1;
        int channels = perChannel ? (int)dims[axis] : 1;
        int inner = values.Length / Math.Max(1, outer * channels);

        var quantized = new byte[values.Length];
        var scales = new float[channels];
        var zeroPoints = new int[channels];
        if (signed)
        {
            AffineQuantizer.QuantizeTensorPerChannel(values, outer, channels, inner, symmetric, false, scales, zeroPoints, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(quantized.AsSpan()));
        }
        else
        {
            AffineQuantizer.QuantizeTensorPerChannel(values, outer, channels, inner, symmetric, false, scales, zeroPoints, quantized);
        }

        int type = (int)(signed ? TensorProto.Types.DataType.Int8 : TensorProto.Types.DataType.Uint8);
        long[] parameterDims = perChannel ? [channels] : [];
        byte[] zeroBytes = zeroPoints.Select(z => (byte)z).ToArray();
        var tensors = new List<TensorProto>
        {
            TensorData.CreateFromRawBytes(names.Next(weight.Name + "_q8"), type, dims, quantized),
            TensorData.CreateFloat(names.Next(weight.Name + "_scale"), parameterDims, scales),
            TensorData.CreateFromRawBytes(names.Next(weight.Name + "_zero_point"), type, parameterDims, zeroBytes),
        };

        var node = new NodeProto { OpType = "DequantizeLinear", Name = names.Next(weight.Name + "_dequantize") };
        if (opset < 10)
        {
            node.Domain = Opsets.MicrosoftDomain;
            Opsets.EnsureImport(model.Proto, Opsets.MicrosoftDomain, 1);
        }

        node.Input.AddRange(tensors.Select(t => t.Name));
        node.Output.Add(weight.Name);
        if (perChannel)
        {
            NodeAttributes.AddInt(node, "axis", axis);
        }

        weight.ReplaceWith(tensors, [node]);
        return quantized.Length + (channels * 5L);
    }
}
