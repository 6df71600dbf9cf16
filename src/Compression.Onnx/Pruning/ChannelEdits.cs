using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>One change channel pruning makes once the removed channels are known.</summary>
internal abstract record ChannelEdit(ChannelSpace Space)
{
    public abstract void Apply(ChannelGraph graph);
}

/// <summary>Keeps only the surviving channels along <paramref name="Axis"/> of a constant input (kernel, bias, BN parameter, per-channel factor).</summary>
internal sealed record SliceEdit(NodeProto Node, int Input, int Axis, ChannelSpace Space) : ChannelEdit(Space)
{
    public override void Apply(ChannelGraph graph)
    {
        int[] kept = Space.Kept();
        if (kept.Length == Space.Size)
        {
            return;
        }

        string name = Node.Input[Input];
        if (graph.UseCount(name) > 1)
        {
            name = graph.Detach(Node, Input);
        }

        TensorProto tensor = graph.Constant(name)!;
        graph.Replace(name, TensorSlicing.Keep(tensor, Axis, kept, graph.Model));
    }
}

/// <summary>Sets the <c>group</c> attribute of a depthwise Conv to the number of channels left.</summary>
internal sealed record DepthwiseGroupEdit(NodeProto Node, ChannelSpace Space) : ChannelEdit(Space)
{
    public override void Apply(ChannelGraph graph)
    {
        AttributeProto attribute = Node.Attribute.First(a => a.Name == "group");
        attribute.I = Space.Kept().Length;
    }
}

/// <summary>Rewrites the channel count written literally in a Reshape target shape.</summary>
internal sealed record ReshapeTargetEdit(string ConstantName, int Index, ChannelSpace Space) : ChannelEdit(Space)
{
    public override void Apply(ChannelGraph graph)
    {
        int kept = Space.Kept().Length;
        if (kept == Space.Size)
        {
            return;
        }

        TensorProto tensor = graph.Constant(ConstantName)!;
        long[] values = graph.ReadInts(ConstantName)!;
        values[Index] = kept;
        TensorProto updated = tensor.DataType == (int)TensorProto.Types.DataType.Int32
            ? TensorData.CreateInt32(ConstantName, [.. tensor.Dims], values.Select(v => (int)v).ToArray())
            : TensorData.CreateInt64(ConstantName, [.. tensor.Dims], values);
        graph.Replace(ConstantName, updated);
    }
}
