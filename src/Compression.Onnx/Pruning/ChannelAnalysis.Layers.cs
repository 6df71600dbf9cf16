using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>Rules for the layers that produce channels (Conv, ConvTranspose, Gemm, MatMul) and read them (their input channels).</summary>
internal sealed partial class ChannelAnalysis
{
    private void VisitConv(NodeProto node)
    {
        ChannelMember? x = MemberAt(node, 0);
        long[]? dims = node.Input.Count > 1 && _graph.IsFloatConstant(node.Input[1]) ? _graph.ConstantDims(node.Input[1]) : null;
        if (dims is null || dims.Length < 3 || !OptionalConstant(node, 2) || OtherOutputsUsed(node))
        {
            x?.Space.Block(ChannelSkipReasons.Operator("Conv with a computed kernel or bias"));
            return;
        }

        int rank = dims.Length;
        long group = Attribute(node, "group", 1);
        bool hasBias = node.Input.Count > 2 && node.Input[2].Length > 0;
        if (group == 1)
        {
            if (x is not null)
            {
                if (x.FromEnd == rank - 1 && (x.Rank == 0 || x.Rank == rank) && dims[1] == x.Space.Size)
                {
                    Edits.Add(new SliceEdit(node, 1, 1, x.Space, Absorbs: true));
                }
                else
                {
                    x.Space.Block(ChannelSkipReasons.OtherAxis);
                }
            }

            ChannelGroup produced = NewGroup((int)dims[0]);
            produced.Producers.Add(new ChannelProducer(node, 1, 0));
            Edits.Add(new SliceEdit(node, 1, 0, produced));
            if (hasBias)
            {
                Edits.Add(new SliceEdit(node, 2, 0, produced));
            }

            Members[node.Output[0]] = new ChannelMember(produced, rank - 1, rank, false);
            if (x is not null)
            {
                Corrections.Add(new BiasCorrection(node, x.Space, produced));
            }

            return;
        }

        // Depthwise (one kernel per input channel): output channel c is input channel c, so both stay in one space.
        if (x is not null && dims[1] == 1 && group == dims[0] && group == x.Space.Size && x.FromEnd == rank - 1 && (x.Rank == 0 || x.Rank == rank))
        {
            Edits.Add(new SliceEdit(node, 1, 0, x.Space));
            if (hasBias)
            {
                Edits.Add(new SliceEdit(node, 2, 0, x.Space));
            }

            Edits.Add(new DepthwiseGroupEdit(node, x.Space));
            Members[node.Output[0]] = new ChannelMember(x.Space, rank - 1, rank, false);
            return;
        }

        x?.Space.Block(ChannelSkipReasons.Grouped);
    }

    private void VisitConvTranspose(NodeProto node)
    {
        ChannelMember? x = MemberAt(node, 0);
        long[]? dims = node.Input.Count > 1 && _graph.IsFloatConstant(node.Input[1]) ? _graph.ConstantDims(node.Input[1]) : null;
        if (dims is null || dims.Length < 3 || !OptionalConstant(node, 2) || Attribute(node, "group", 1) != 1 || OtherOutputsUsed(node))
        {
            x?.Space.Block(ChannelSkipReasons.Operator("ConvTranspose with groups or a computed kernel"));
            return;
        }

        int rank = dims.Length;
        if (x is not null)
        {
            if (x.FromEnd == rank - 1 && (x.Rank == 0 || x.Rank == rank) && dims[0] == x.Space.Size)
            {
                Edits.Add(new SliceEdit(node, 1, 0, x.Space, Absorbs: true));
            }
            else
            {
                x.Space.Block(ChannelSkipReasons.OtherAxis);
            }
        }

        ChannelGroup produced = NewGroup((int)dims[1]);
        produced.Producers.Add(new ChannelProducer(node, 1, 1));
        Edits.Add(new SliceEdit(node, 1, 1, produced));
        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            Edits.Add(new SliceEdit(node, 2, 0, produced));
        }

        Members[node.Output[0]] = new ChannelMember(produced, rank - 1, rank, false);
    }

    private void VisitGemm(NodeProto node)
    {
        ChannelMember? a = MemberAt(node, 0);
        ChannelMember? b = MemberAt(node, 1);
        b?.Space.Block(ChannelSkipReasons.Operator("Gemm with computed B"));
        ChannelMember? c = MemberAt(node, 2);
        c?.Space.Block(ChannelSkipReasons.Operator("Gemm with computed C"));
        long[]? dims = _graph.IsFloatConstant(node.Input[1]) ? _graph.ConstantDims(node.Input[1]) : null;
        if (dims is not { Length: 2 } || !OptionalConstant(node, 2))
        {
            a?.Space.Block(ChannelSkipReasons.Operator("Gemm with computed B"));
            return;
        }

        bool transB = Attribute(node, "transB", 0) != 0;
        if (a is not null)
        {
            long k = transB ? dims[1] : dims[0];
            if (Attribute(node, "transA", 0) == 0 && a.FromEnd == 1 && (a.Rank is 0 or 2) && k == a.Space.Size)
            {
                Edits.Add(new SliceEdit(node, 1, transB ? 1 : 0, a.Space, Absorbs: true));
            }
            else
            {
                a.Space.Block(ChannelSkipReasons.OtherAxis);
            }
        }

        int n = (int)(transB ? dims[0] : dims[1]);
        ChannelGroup produced = NewGroup(n);
        produced.Producers.Add(new ChannelProducer(node, 1, transB ? 0 : 1));
        Edits.Add(new SliceEdit(node, 1, transB ? 0 : 1, produced));
        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            long[] bias = _graph.ConstantDims(node.Input[2])!;
            if (bias.Length > 0 && bias[^1] == n && n > 1)
            {
                Edits.Add(new SliceEdit(node, 2, bias.Length - 1, produced));
            }
            else if (bias.Length > 0 && bias[^1] != 1)
            {
                produced.Block(ChannelSkipReasons.Operator("Gemm with a C of another width"));
            }
        }

        Members[node.Output[0]] = new ChannelMember(produced, 1, 2, true);
        if (a is not null)
        {
            Corrections.Add(new BiasCorrection(node, a.Space, produced));
        }
    }

    private void VisitMatMul(NodeProto node)
    {
        ChannelMember? a = MemberAt(node, 0);
        MemberAt(node, 1)?.Space.Block(ChannelSkipReasons.Operator("MatMul of two computed tensors"));
        long[]? dims = _graph.IsFloatConstant(node.Input[1]) ? _graph.ConstantDims(node.Input[1]) : null;
        if (dims is not { Length: 2 })
        {
            a?.Space.Block(ChannelSkipReasons.Operator("MatMul of two computed tensors"));
            return;
        }

        if (a is not null)
        {
            if (a.FromEnd == 1 && dims[0] == a.Space.Size)
            {
                Edits.Add(new SliceEdit(node, 1, 0, a.Space, Absorbs: true));
            }
            else
            {
                a.Space.Block(ChannelSkipReasons.OtherAxis);
            }
        }

        ChannelGroup produced = NewGroup((int)dims[1]);
        produced.Producers.Add(new ChannelProducer(node, 1, 1));
        Edits.Add(new SliceEdit(node, 1, 1, produced));
        Members[node.Output[0]] = new ChannelMember(produced, 1, a?.Rank ?? 0, true);
        if (a is not null)
        {
            Corrections.Add(new BiasCorrection(node, a.Space, produced));
        }
    }
}
