using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.Tests.FourBit;

/// <summary>
/// Independent readers of what the 4-bit pass wrote: they dequantize the stored tensors straight from the
/// operator definitions (not through the code under test), so a float model with these weights is the reference.
/// </summary>
internal static class QuantizedReference
{
    public static TensorProto Initializer(ModelProto model, string name) =>
        model.Graph.Initializer.Single(t => t.Name == name);

    public static long Attribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)?.I ?? fallback;

    /// <summary>A MatMulNBits node's B as <c>[K, N]</c> row-major: <c>(q - zp) * scale</c>, zp 8 when absent.</summary>
    public static float[] MatMulNBits(ModelProto model, NodeProto node)
    {
        int k = (int)Attribute(node, "K", 0), n = (int)Attribute(node, "N", 0), blockSize = (int)Attribute(node, "block_size", 0);
        int blocks = (k + blockSize - 1) / blockSize;
        byte[] packed = Initializer(model, node.Input[1]).RawData.ToByteArray();
        float[] scales = TensorData.ReadFloats(Initializer(model, node.Input[2]));
        byte[]? zeroPoints = node.Input.Count > 3 && node.Input[3].Length > 0 ? Initializer(model, node.Input[3]).RawData.ToByteArray() : null;
        Assert.HasCount(n * blocks * blockSize / 2, packed);
        Assert.HasCount(n * blocks, scales);
        var w = new float[k * n];
        for (int col = 0; col < n; col++)
        {
            for (int row = 0; row < k; row++)
            {
                int block = row / blockSize;
                int index = (((col * blocks) + block) * blockSize) + (row % blockSize);
                int q = Nibble(packed, index);
                int zp = zeroPoints is null ? 8 : Nibble(zeroPoints, (col * ((blocks + 1) / 2) * 2) + block);
                w[(row * n) + col] = (q - zp) * scales[(col * blocks) + block];
            }
        }

        return w;
    }

    /// <summary>A GatherBlockQuantized node's table (uint8 data, bits 4, quantize_axis 1) as <c>[V, D]</c>.</summary>
    public static float[] GatherBlockQuantized(ModelProto model, NodeProto node)
    {
        TensorProto data = Initializer(model, node.Input[0]);
        int rows = (int)data.Dims[0], width = (int)data.Dims[1] * 2, blockSize = (int)Attribute(node, "block_size", 128);
        int blocks = (width + blockSize - 1) / blockSize;
        byte[] packed = data.RawData.ToByteArray();
        float[] scales = TensorData.ReadFloats(Initializer(model, node.Input[2]));
        byte[]? zeroPoints = node.Input.Count > 3 ? Initializer(model, node.Input[3]).RawData.ToByteArray() : null;
        var table = new float[rows * width];
        for (int r = 0; r < rows; r++)
        {
            for (int d = 0; d < width; d++)
            {
                int block = d / blockSize;
                int zp = zeroPoints is null ? 8 : Nibble(zeroPoints, (r * ((blocks + 1) / 2) * 2) + block);
                table[(r * width) + d] = (Nibble(packed, (r * width) + d) - zp) * scales[(r * blocks) + block];
            }
        }

        return table;
    }

    /// <summary>A DequantizeLinear node's output from its int4/uint4/int8/uint8 input, blocked or per-axis or per-tensor.</summary>
    public static float[] DequantizeLinear(ModelProto model, NodeProto node)
    {
        TensorProto x = Initializer(model, node.Input[0]);
        TensorProto scale = Initializer(model, node.Input[1]);
        TensorProto? zeroPoint = node.Input.Count > 2 ? Initializer(model, node.Input[2]) : null;
        long[] dims = [.. x.Dims];
        int count = (int)dims.Aggregate(1L, (a, b) => a * b);
        int axis = (int)Attribute(node, "axis", 1);
        int blockSize = (int)Attribute(node, "block_size", 0);
        float[] scales = TensorData.ReadFloats(scale);
        int[] q = Values(x, count);
        int[] zp = zeroPoint is null ? new int[scales.Length] : Values(zeroPoint, scales.Length);
        int inner = (int)dims.Skip(axis + 1).Aggregate(1L, (a, b) => a * b);
        int axisLength = (int)dims[axis];
        var result = new float[count];
        for (int i = 0; i < count; i++)
        {
            int p;
            if (scales.Length == 1)
            {
                p = 0;
            }
            else if (blockSize == 0)
            {
                p = i / inner % axisLength;
            }
            else
            {
                int outer = i / (inner * axisLength);
                int a = i / inner % axisLength;
                int blocks = (axisLength + blockSize - 1) / blockSize;
                p = (((outer * blocks) + (a / blockSize)) * inner) + (i % inner);
            }

            result[i] = (q[i] - zp[p]) * scales[p];
        }

        return result;
    }

    private static int[] Values(TensorProto tensor, int count)
    {
        byte[] raw = tensor.RawData.ToByteArray();
        var values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (TensorProto.Types.DataType)tensor.DataType switch
            {
                TensorProto.Types.DataType.Int4 => (Nibble(raw, i) ^ 8) - 8,
                TensorProto.Types.DataType.Uint4 => Nibble(raw, i),
                TensorProto.Types.DataType.Int8 => (sbyte)raw[i],
                _ => raw[i],
            };
        }

        return values;
    }

    private static int Nibble(byte[] packed, int index) => (packed[index >> 1] >> ((index & 1) * 4)) & 0xF;
}
