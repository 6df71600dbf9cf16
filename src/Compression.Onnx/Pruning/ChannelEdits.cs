using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>One change channel pruning makes once the removed channels are known.</summary>
internal abstract record ChannelEdit(ChannelSpace Space)
{
    public abstract void Apply(ChannelGraph graph);
}

/// <summary>Keeps only the surviving channels along <paramref name="Axis"/> of a constant input (kernel, bias, BN parameter, per-channel factor).</summary>
internal sealed record SliceEdit(NodeProto Node, int Input, int Axis, ChannelSpace Space, bool Absorbs = false) : ChannelEdit(Space)
{
    /// <summary>For checks: zeroes the removed channels of an absorbing layer's kernel instead of removing anything (the same function as removal).</summary>
    public void ZeroRemoved(ChannelGraph graph)
    {
        int[] kept = Space.Kept();
        if (!Absorbs || kept.Length == Space.Size)
        {
            return;
        }

        string name = Node.Input[Input];
        if (graph.UseCount(name) > 1)
        {
            name = graph.Detach(Node, Input);
        }

        long[] dims = graph.ConstantDims(name)!;
        float[] values = graph.ReadFloats(name);
        var keep = new HashSet<int>(kept);
        long outer = dims.Take(Axis).Aggregate(1L, (a, b) => a * b);
        long inner = dims.Skip(Axis + 1).Aggregate(1L, (a, b) => a * b);
        for (long o = 0; o < outer; o++)
        {
            for (int c = 0; c < dims[Axis]; c++)
            {
                if (!keep.Contains(c))
                {
                    values.AsSpan((int)(((o * dims[Axis]) + c) * inner), (int)inner).Clear();
                }
            }
        }

        TensorProto updated = graph.Constant(name)!.Clone();
        TensorData.WriteFloats(updated, values);
        graph.Replace(name, updated);
    }

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
