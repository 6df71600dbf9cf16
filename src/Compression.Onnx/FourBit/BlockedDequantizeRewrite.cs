using Compression.Kernels;
using Compression.Onnx.Graph;
using Compression.Onnx.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.FourBit;

/// <summary>
/// Stores a weight as an opset-21 blocked int4/uint4 initializer with a <c>DequantizeLinear</c> (<c>axis</c>,
/// <c>block_size</c>) that produces the weight's name, so its readers are unchanged. The blocked axis is the one
/// that needs the fewest scales (the longest axis; for a Conv weight usually the output or input channels).
/// Scales and rounding are ONNX's <c>QuantizeLinear</c> (round half to even), from the kernels.
/// </summary>
internal sealed class BlockedDequantizeRewrite(ModelGraph model, FourBitOptions options, Action<string> claim) : IFourBitRewrite
{
    public bool UsesContribOperators => false;

    /// <summary>Blocked (<c>block_size</c>) int4/uint4 <c>DequantizeLinear</c> is opset 21.</summary>
    public int MinimumOpset => 21;

    public int Weights { get; private set; }

    /// <summary>Any weight of rank 2 or more (Conv, LSTM...): the form of last resort.</summary>
    public bool Accepts(Weight weight) => weight.Dims.Count >= 2;

    /// <summary>Replaces the weight; returns the bytes stored.</summary>
    public long Rewrite(Weight weight, float[] values, CancellationToken cancellationToken)
    {
        long[] dims = [.. weight.Dims];
        int axis = BlockAxis(dims, options.BlockSize);
        int outer = (int)dims.Take(axis).Aggregate(1L, (a, b) => a * b);
        int axisLength = (int)dims[axis];
        int inner = (int)dims.Skip(axis + 1).Aggregate(1L, (a, b) => a * b);
        int blocks = RangeKernels.BlockCount(axisLength, options.BlockSize);
        int scaleCount = outer * blocks * inner;
        bool signed = options.Quantize == QuantizationType.Int4;
        bool symmetric = options.EffectiveSymmetric;

        var scales = new float[scaleCount];
        var zeroPoints = new int[scaleCount];
        QuantizationParameters.ComputePerBlock(values, outer, axisLength, inner, options.BlockSize, signed ? QuantizedType.Int4 : QuantizedType.UInt4, symmetric, false, scales, zeroPoints);
        var packed = new byte[BlockQuantizer4Bit.PackedLength(values.Length)];
        if (signed)
        {
            BlockQuantizer4Bit.QuantizeInt4(values, outer, axisLength, inner, options.BlockSize, scales, zeroPoints, packed);
        }
        else
        {
            BlockQuantizer4Bit.QuantizeUInt4(values, outer, axisLength, inner, options.BlockSize, scales, zeroPoints, packed);
        }

        long[] scaleDims = [.. dims];
        scaleDims[axis] = blocks;
        var tensors = new List<TensorProto>
        {
            TensorData.CreateFromRawBytes(model.UniqueName(weight.Name + "_q4"), (int)(signed ? DataType.Int4 : DataType.Uint4), dims, packed),
            TensorData.CreateFloat(model.UniqueName(weight.Name + "_scale"), scaleDims, scales),
        };

        // A signed symmetric weight has zero points 0, the operator's default: no tensor needed.
        bool writeZeroPoints = !signed || zeroPoints.Any(z => z != 0);
        if (writeZeroPoints)
        {
            tensors.Add(signed
                ? TensorData.CreateInt4(model.UniqueName(weight.Name + "_zero_point"), scaleDims, zeroPoints.Select(z => (sbyte)z).ToArray())
                : TensorData.CreateUInt4(model.UniqueName(weight.Name + "_zero_point"), scaleDims, zeroPoints.Select(z => (byte)z).ToArray()));
        }

        var node = NodeBuilder.Node("DequantizeLinear", model.UniqueName(weight.Name + "_dequantize"), tensors.Select(t => t.Name), [weight.Name])
            .With("axis", axis).With("block_size", options.BlockSize);
        weight.ReplaceWith(tensors, [node]);
        foreach (var tensor in tensors) claim(tensor.Name);
        Weights++;
        return packed.Length + (scaleCount * 4L) + (writeZeroPoints ? BlockQuantizer4Bit.PackedLength(scaleCount) : 0);
    }

    /// <summary>The axis whose blocking gives the fewest scales; ties keep the earlier axis.</summary>
    internal static int BlockAxis(IReadOnlyList<long> dims, int blockSize)
    {
        long total = dims.Aggregate(1L, (a, b) => a * b);
        int best = 0;
        long bestCount = long.MaxValue;
        for (int axis = 0; axis < dims.Count; axis++)
        {
            long count = total / Math.Max(1, dims[axis]) * ((dims[axis] + blockSize - 1) / blockSize);
            if (count < bestCount)
            {
                best = axis;
                bestCount = count;
            }
        }

        return best;
    }
}
