using Compression.Onnx.Graph;
using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>Rules for operators that move axes: Flatten, Reshape, Squeeze/Unsqueeze, Transpose, Slice, Resize, reductions, and Shape reads.</summary>
internal sealed partial class ChannelAnalysis
{
    private void VisitFlatten(NodeProto node)
    {
        ChannelMember x = MemberAt(node, 0)!;
        if (x.Rank >= 2 && x.Axis == 1 && x.InnerIsOne && Normalize(Attribute(node, "axis", 1), x.Rank) == 1)
        {
            Members[node.Output[0]] = new ChannelMember(x.Space, 1, 2, true);
            return;
        }

        x.Space.Block(ChannelSkipReasons.Reshape);
    }

    /// <summary>
    /// Follows a Reshape that only drops the size-1 axes after the channels (<c>[N, C, 1, 1] -> [N, C]</c>, as
    /// before a classifier head): the target must keep the leading axes (0, a literal, or the same dimension read
    /// with Shape) and end in -1 or the literal channel count, which is then rewritten.
    /// </summary>
    private void VisitReshape(NodeProto node)
    {
        ChannelMember? x = MemberAt(node, 0);
        if (x is null)
        {
            BlockInputs(node, ChannelSkipReasons.Reshape);
            return;
        }

        List<ShapeElement>? target = x.Rank > 0 && x.InnerIsOne && node.Input.Count > 1
            ? ShapeTrace.Resolve(_graph, _graph.Producers, _opset, node.Input[1])
            : null;
        int axis = x.Axis;
        if (target is null || target.Count != axis + 1 || Attribute(node, "allowzero", 0) != 0)
        {
            x.Space.Block(ChannelSkipReasons.Reshape);
            return;
        }

        for (int i = 0; i < axis; i++)
        {
            ShapeElement leading = target[i];
            bool kept = leading.IsLiteral ? leading.Value >= 0 : leading.Value == i;
            if (!kept)
            {
                x.Space.Block(ChannelSkipReasons.Reshape);
                return;
            }
        }

        ShapeElement channels = target[axis];
        if (channels.IsLiteral && channels.Value == x.Space.Size && channels.Exclusive)
        {
            Edits.Add(new ReshapeTargetEdit(channels.Source!, channels.Index, x.Space));
        }
        else if (!(channels.IsLiteral && channels.Value == -1))
        {
            x.Space.Block(ChannelSkipReasons.Reshape);
            return;
        }

        Members[node.Output[0]] = new ChannelMember(x.Space, 1, axis + 1, true);
    }

    private void VisitSqueeze(NodeProto node)
    {
        ChannelMember? x = MemberAt(node, 0);
        long[]? axes = _opset < 13 ? ShapeTrace.Ints(node, "axes") : node.Input.Count > 1 ? _graph.ReadInts(node.Input[1]) : null;
        if (x is null || x.Rank == 0 || axes is null || axes.Length == 0)
        {
            BlockInputs(node, ChannelSkipReasons.Reshape);
            return;
        }

        bool squeeze = node.OpType == "Squeeze";
        int outputRank = squeeze ? x.Rank - axes.Length : x.Rank + axes.Length;
        var normalized = axes.Select(a => Normalize(a, squeeze ? x.Rank : outputRank)).ToHashSet();
        int channel;
        if (squeeze)
        {
            if (normalized.Contains(x.Axis))
            {
                x.Space.Block(ChannelSkipReasons.Reshape);
                return;
            }

            channel = x.Axis - normalized.Count(a => a < x.Axis);
        }
        else
        {
            // The kept input axes fill the output positions that are not inserted, in order.
            channel = Enumerable.Range(0, outputRank).Where(p => !normalized.Contains(p)).ElementAt(x.Axis);
        }

        Members[node.Output[0]] = new ChannelMember(x.Space, outputRank - channel, outputRank, x.InnerIsOne);
    }

    private void VisitTranspose(NodeProto node)
    {
        ChannelMember x = MemberAt(node, 0)!;
        long[]? perm = ShapeTrace.Ints(node, "perm");
        if (x.Rank == 0 || perm is null || perm.Length != x.Rank)
        {
            x.Space.Block(ChannelSkipReasons.OtherAxis);
            return;
        }

        int channel = Array.IndexOf(perm, (long)x.Axis);
        bool innerIsOne = channel == x.Rank - 1 || (x.InnerIsOne && perm.Skip(channel + 1).All(p => p > x.Axis));
        Members[node.Output[0]] = new ChannelMember(x.Space, x.Rank - channel, x.Rank, innerIsOne);
    }

    /// <summary>A Shape read is harmless when only dimensions other than the channels are picked from it (the batch size, for example).</summary>
    private void VisitShape(NodeProto node)
    {
        ChannelMember x = MemberAt(node, 0)!;
        if (x.Rank == 0 || node.Attribute.Any(a => a.Name is "start" or "end") || !OnlyOtherDimensionsRead(node.Output[0], x.Axis, 0))
        {
            x.Space.Block(ChannelSkipReasons.ShapeRead);
        }
    }

    private bool OnlyOtherDimensionsRead(string shape, int channelAxis, int depth)
    {
        if (depth > 8 || _graph.Outputs.Contains(shape) || _graph.OuterUses.Contains(shape))
        {
            return false;
        }

        foreach ((NodeProto consumer, int input) in _graph.ConsumersOf(shape))
        {
            bool ok = consumer.OpType switch
            {
                "Cast" or "Identity" => OnlyOtherDimensionsRead(consumer.Output[0], channelAxis, depth + 1),
                "Slice" or "Gather" when input == 0 => ShapeTrace.SelectedIndices(_graph, consumer, _opset) is { } picked && !picked.Contains(channelAxis),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private void VisitResize(NodeProto node)
    {
        ChannelMember? x = MemberAt(node, 0);
        int scalesInput = node.OpType == "Upsample" ? 1 : 2;
        bool sizes = node.OpType == "Resize" && node.Input.Count > 3 && node.Input[3].Length > 0;
        float[]? scales = node.Input.Count > scalesInput && _graph.IsFloatConstant(node.Input[scalesInput])
            ? _graph.ReadFloats(node.Input[scalesInput])
            : node.FindAttribute("scales")?.Floats.ToArray();
        if (x is null || x.Rank == 0 || sizes || scales is null || scales.Length != x.Rank || scales[x.Axis] != 1f)
        {
            BlockInputs(node, ChannelSkipReasons.Operator(node.OpType));
            return;
        }

        Members[node.Output[0]] = x with { InnerIsOne = false };
    }

    private void VisitSlice(NodeProto node)
    {
        ChannelMember? x = MemberAt(node, 0);
        long[]? axes;
        if (_opset < 10)
        {
            axes = ShapeTrace.Ints(node, "axes") ?? ShapeTrace.Ints(node, "starts")?.Select((_, i) => (long)i).ToArray();
        }
        else
        {
            axes = node.Input.Count > 3 && node.Input[3].Length > 0
                ? _graph.ReadInts(node.Input[3])
                : _graph.ReadInts(node.Input.ElementAtOrDefault(1) ?? string.Empty)?.Select((_, i) => (long)i).ToArray();
        }

        if (x is null || x.Rank == 0 || axes is null || node.Input.Skip(1).Any(i => i.Length > 0 && !_graph.IsConstant(i)) || axes.Any(a => Normalize(a, x.Rank) == x.Axis))
        {
            BlockInputs(node, ChannelSkipReasons.Operator("Slice over the channels"));
            return;
        }

        Members[node.Output[0]] = x;
    }

    private void VisitReduce(NodeProto node)
    {
        ChannelMember? x = MemberAt(node, 0);
        long[]? axes = ShapeTrace.Ints(node, "axes") ?? (node.Input.Count > 1 && node.Input[1].Length > 0 ? _graph.ReadInts(node.Input[1]) : null);
        if (x is null || x.Rank == 0 || axes is null || axes.Length == 0)
        {
            BlockInputs(node, ChannelSkipReasons.Operator(node.OpType + " over the channels"));
            return;
        }

        var normalized = axes.Select(a => Normalize(a, x.Rank)).ToHashSet();
        if (normalized.Contains(x.Axis))
        {
            x.Space.Block(ChannelSkipReasons.Operator(node.OpType + " over the channels"));
            return;
        }

        bool innerIsOne = x.InnerIsOne || Enumerable.Range(x.Axis + 1, x.Rank - x.Axis - 1).All(normalized.Contains);
        if (Attribute(node, "keepdims", 1) != 0)
        {
            Members[node.Output[0]] = x with { InnerIsOne = innerIsOne };
            return;
        }

        int rank = x.Rank - normalized.Count;
        int channel = x.Axis - normalized.Count(a => a < x.Axis);
        Members[node.Output[0]] = new ChannelMember(x.Space, rank - channel, rank, innerIsOne);
    }
}
