using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>Rules for the operators channels flow through: normalization, activations, elementwise ops, pooling, Concat.</summary>
internal sealed partial class ChannelAnalysis
{
    private void VisitNormalization(NodeProto node, int parameters)
    {
        ChannelMember? x = MemberAt(node, 0);
        if (x is null || node.Input.Skip(1).Any(Members.ContainsKey))
        {
            BlockInputs(node, ChannelSkipReasons.Operator(node.OpType + " with computed parameters"));
            return;
        }

        bool ok = x.Rank >= 2 && x.Axis == 1 && !OtherOutputsUsed(node) && node.Input.Count > parameters;
        for (int i = 1; ok && i <= parameters; i++)
        {
            ok = _graph.IsFloatConstant(node.Input[i]) && _graph.ConstantDims(node.Input[i]) is [long size] && size == x.Space.Size;
        }

        if (!ok)
        {
            x.Space.Block(ChannelSkipReasons.Operator(node.OpType));
            return;
        }

        for (int i = 1; i <= parameters; i++)
        {
            Edits.Add(new SliceEdit(node, i, 0, x.Space));
        }

        Members[node.Output[0]] = x;
    }

    private void VisitUnary(NodeProto node)
    {
        ChannelMember? x = MemberAt(node, 0);
        bool extrasConstant = node.Input.Skip(1).All(i => i.Length == 0 || _graph.IsConstant(i));
        if (x is null || !extrasConstant || OtherOutputsUsed(node))
        {
            BlockInputs(node, ChannelSkipReasons.Operator(node.OpType));
            return;
        }

        Members[node.Output[0]] = x;
    }

    private void VisitElementwise(NodeProto node)
    {
        var members = new List<ChannelMember>();
        bool others = false;
        foreach (string input in node.Input)
        {
            if (Members.TryGetValue(input, out ChannelMember? member))
            {
                members.Add(member);
            }
            else if (input.Length > 0 && !_graph.IsConstant(input))
            {
                others = true;
            }
        }

        ChannelMember first = members[0];
        if (others)
        {
            BlockInputs(node, ChannelSkipReasons.Residual);
            return;
        }

        if (members.Any(m => m.FromEnd != first.FromEnd))
        {
            BlockInputs(node, ChannelSkipReasons.OtherAxis);
            return;
        }

        ChannelSpace? space = JoinSpaces(members);
        if (space is null)
        {
            BlockInputs(node, ChannelSkipReasons.SizeMismatch);
            return;
        }

        int rank = members.All(m => m.Rank > 0) ? members.Max(m => m.Rank) : 0;
        bool innerIsOne = members.All(m => m.InnerIsOne);
        var edits = new List<ChannelEdit>();
        for (int i = 0; i < node.Input.Count; i++)
        {
            string input = node.Input[i];
            if (input.Length == 0 || Members.ContainsKey(input))
            {
                continue;
            }

            long[] dims = _graph.ConstantDims(input)!;
            int position = dims.Length - first.FromEnd;
            rank = rank > 0 ? Math.Max(rank, dims.Length) : 0;
            if (position < 0 || dims[position] == 1)
            {
                innerIsOne &= position < 0 || dims.Skip(position + 1).All(d => d == 1);
                continue;
            }

            if (dims[position] != space.Size)
            {
                space.Block(ChannelSkipReasons.SizeMismatch);
                return;
            }

            innerIsOne &= dims.Skip(position + 1).All(d => d == 1);
            edits.Add(new SliceEdit(node, i, position, space));
        }

        Edits.AddRange(edits);
        Members[node.Output[0]] = new ChannelMember(space, first.FromEnd, rank, innerIsOne);
    }

    /// <summary>Groups are joined; a Concat space can only meet itself.</summary>
    private static ChannelSpace? JoinSpaces(List<ChannelMember> members)
    {
        ChannelSpace firstSpace = members[0].Resolved;
        if (members.All(m => ReferenceEquals(m.Resolved, firstSpace)))
        {
            return firstSpace;
        }

        if (members.Any(m => m.Resolved is not ChannelGroup) || members.Any(m => m.Space.Size != firstSpace.Size))
        {
            return null;
        }

        ChannelGroup joined = (ChannelGroup)firstSpace;
        foreach (ChannelMember member in members.Skip(1))
        {
            joined = ChannelGroup.Union(joined, (ChannelGroup)member.Resolved);
        }

        return joined;
    }

    private void VisitPool(NodeProto node)
    {
        ChannelMember? x = MemberAt(node, 0);
        if (x is null || x.Rank < 3 || x.Axis != 1 || OtherOutputsUsed(node))
        {
            BlockInputs(node, ChannelSkipReasons.Operator(node.OpType));
            return;
        }

        Members[node.Output[0]] = x with { InnerIsOne = node.OpType.StartsWith("Global", StringComparison.Ordinal) || x.InnerIsOne };
    }

    private void VisitConcat(NodeProto node)
    {
        var members = node.Input.Select(i => Members.GetValueOrDefault(i)).ToList();
        if (members.Any(m => m is null))
        {
            BlockInputs(node, ChannelSkipReasons.Residual);
            return;
        }

        List<ChannelMember> all = members!;
        int fromEnd = all[0].FromEnd;
        int rank = all.Max(m => m.Rank);
        long axis = Attribute(node, "axis", 1);
        bool? onChannels = axis < 0 ? -axis == fromEnd : rank > 0 ? rank - axis == fromEnd : null;
        if (onChannels is null || all.Any(m => m.FromEnd != fromEnd))
        {
            BlockInputs(node, ChannelSkipReasons.OtherAxis);
            return;
        }

        if (onChannels.Value)
        {
            var space = new ConcatSpace(all.Select(m => m.Resolved).ToList());
            Members[node.Output[0]] = new ChannelMember(space, fromEnd, rank, all.All(m => m.InnerIsOne));
            return;
        }

        ChannelSpace? joined = JoinSpaces(all);
        if (joined is null)
        {
            BlockInputs(node, ChannelSkipReasons.SizeMismatch);
            return;
        }

        Members[node.Output[0]] = new ChannelMember(joined, fromEnd, rank, false);
    }

    private void VisitSoftmax(NodeProto node)
    {
        ChannelMember x = MemberAt(node, 0)!;
        long fallback = _opset < 13 ? 1 : -1;
        if (x.Rank == 0)
        {
            x.Space.Block(ChannelSkipReasons.Operator(node.OpType));
            return;
        }

        int axis = Normalize(Attribute(node, "axis", fallback), x.Rank);
        bool mixes = _opset < 13 ? x.Axis >= axis : x.Axis == axis;
        if (mixes)
        {
            x.Space.Block(ChannelSkipReasons.Operator(node.OpType + " over the channels"));
            return;
        }

        Members[node.Output[0]] = x;
    }
}
