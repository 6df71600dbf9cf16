using Compression.Onnx.Graph;
using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>
/// Where the input-channel (reduction) axis of a weight lies, as <c>[outer, axis, inner]</c>: rows K of a
/// MatMul <c>B[K, N]</c>, K of a Gemm <c>B</c> (either orientation), axis 1 of a Conv kernel <c>[M, C/group, k...]</c>.
/// </summary>
internal readonly record struct InputChannelLayout(int Outer, int Axis, int Inner)
{
    /// <summary>The layout for every consumer of <paramref name="weight"/>, or null when a consumer is not a MatMul/Gemm/Conv weight input or consumers disagree.</summary>
    public static InputChannelLayout? Of(Weight weight)
    {
        InputChannelLayout? layout = null;
        foreach (ValueUse consumer in weight.Consumers)
        {
            InputChannelLayout? current = consumer.Node is null || consumer.Domain.Length > 0 ? null : ForConsumer(consumer.Node, consumer.InputIndex, weight.Dims);
            if (current is null || (layout is not null && layout != current))
            {
                return null;
            }

            layout = current;
        }

        return layout;
    }

    private static InputChannelLayout? ForConsumer(NodeProto node, int input, IReadOnlyList<long> dims)
    {
        if (dims.Any(d => d > int.MaxValue))
        {
            return null;
        }

        switch (node.OpType)
        {
            case "MatMul" when input == 1 && dims.Count == 2:
                return new InputChannelLayout(1, (int)dims[0], (int)dims[1]);
            case "Gemm" when input == 1 && dims.Count == 2:
                return IntAttribute(node, "transB") != 0
                    ? new InputChannelLayout((int)dims[0], (int)dims[1], 1)
                    : new InputChannelLayout(1, (int)dims[0], (int)dims[1]);
            case "Conv" when input == 1 && dims.Count >= 3:
                long inner = 1;
                for (int i = 2; i < dims.Count; i++)
                {
                    inner *= dims[i];
                }

                return inner > int.MaxValue ? null : new InputChannelLayout((int)dims[0], (int)dims[1], (int)inner);
            default:
                return null;
        }
    }

    internal static long IntAttribute(NodeProto node, string name, long fallback = 0)
    {
        foreach (AttributeProto attribute in node.Attribute)
        {
            if (attribute.Name == name)
            {
                return attribute.I;
            }
        }

        return fallback;
    }
}
