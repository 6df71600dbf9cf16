namespace Compression.Onnx.Pruning;

/// <summary>
/// The channels of one or more tensors, as far as pruning is concerned: a <see cref="ChannelGroup"/> (channels
/// that must be removed together, e.g. both sides of a residual Add) or a <see cref="ConcatSpace"/> (the
/// channels of a Concat along the channel axis: its parts, one after another).
/// </summary>
internal abstract class ChannelSpace
{
    public abstract int Size { get; }

    /// <summary>The channels that stay, ascending, in this space's numbering.</summary>
    public abstract int[] Kept();

    public abstract void Block(string reason);

    public bool IsPruned => Kept().Length < Size;
}

/// <summary>Channels produced by one or more layers (Conv, Gemm, MatMul outputs joined by elementwise ops), removed together.</summary>
internal sealed class ChannelGroup : ChannelSpace
{
    private ChannelGroup? _parent;
    private readonly int _size;

    public ChannelGroup(int size) => _size = size;

    public override int Size => _size;

    /// <summary>Layers whose output channels are this group (for importance and output slicing).</summary>
    public List<ChannelProducer> Producers { get; } = [];

    /// <summary>Why the group cannot be pruned, or null.</summary>
    public string? BlockedBecause { get; private set; }

    /// <summary>Channels chosen for removal (ascending); empty until decided.</summary>
    public int[] Removed { get; set; } = [];

    public ChannelGroup Root
    {
        get
        {
            ChannelGroup group = this;
            while (group._parent is not null)
            {
                group = group._parent;
            }

            return group;
        }
    }

    public override int[] Kept()
    {
        ChannelGroup root = Root;
        if (root.Removed.Length == 0)
        {
            return Enumerable.Range(0, _size).ToArray();
        }

        var removed = new HashSet<int>(root.Removed);
        return Enumerable.Range(0, _size).Where(c => !removed.Contains(c)).ToArray();
    }

    public override void Block(string reason)
    {
        ChannelGroup root = Root;
        root.BlockedBecause ??= reason;
    }

    /// <summary>Joins two groups (their channels must be removed together); groups of different sizes cannot be joined and are blocked.</summary>
    public static ChannelGroup Union(ChannelGroup a, ChannelGroup b)
    {
        ChannelGroup ra = a.Root, rb = b.Root;
        if (ReferenceEquals(ra, rb))
        {
            return ra;
        }

        if (ra.Size != rb.Size)
        {
            ra.Block("joins tensors of different channel counts");
            rb.Block("joins tensors of different channel counts");
            return ra;
        }

        rb._parent = ra;
        ra.Producers.AddRange(rb.Producers);
        rb.Producers.Clear();
        if (rb.BlockedBecause is not null)
        {
            ra.BlockedBecause ??= rb.BlockedBecause;
        }

        return ra;
    }
}

/// <summary>The channels of a Concat along the channel axis: each part keeps its own numbering at an offset.</summary>
internal sealed class ConcatSpace(IReadOnlyList<ChannelSpace> parts) : ChannelSpace
{
    public IReadOnlyList<ChannelSpace> Parts { get; } = parts;

    public override int Size => Parts.Sum(p => p.Size);

    public override int[] Kept()
    {
        var kept = new List<int>();
        int offset = 0;
        foreach (ChannelSpace part in Parts)
        {
            kept.AddRange(part.Kept().Select(c => c + offset));
            offset += part.Size;
        }

        return [.. kept];
    }

    public override void Block(string reason)
    {
        foreach (ChannelSpace part in Parts)
        {
            part.Block(reason);
        }
    }
}

/// <summary>A layer whose output channels belong to a group: the weight (and bias) to slice and the axis of output channels.</summary>
/// <param name="Node">The Conv, ConvTranspose, Gemm or MatMul.</param>
/// <param name="WeightInput">Input index of the weight.</param>
/// <param name="OutputAxis">Axis of the weight that holds output channels.</param>
internal sealed record ChannelProducer(global::Onnx.NodeProto Node, int WeightInput, int OutputAxis);

/// <summary>How a tensor carries a space: its channel axis counted from the end (1 = last), its rank if known (0 if not), and whether every axis after the channel axis has size 1.</summary>
internal sealed record ChannelMember(ChannelSpace Space, int FromEnd, int Rank, bool InnerIsOne)
{
    /// <summary>The channel axis counted from the start, or -1 when the rank is unknown.</summary>
    public int Axis => Rank > 0 ? Rank - FromEnd : -1;

    /// <summary>The space, resolved to its group root when it is a group.</summary>
    public ChannelSpace Resolved => Space is ChannelGroup g ? g.Root : Space;
}
