using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>
/// Walks one graph in topological order and works out which output channels of Conv, ConvTranspose, Gemm and
/// MatMul layers can be removed together, and every edit that removing them needs: the producers' kernels and
/// biases, per-channel constants (BatchNormalization, elementwise factors, depthwise kernels and their
/// <c>group</c>), the next layer's input channels, and literal channel counts in Reshape targets. A group whose
/// channels reach something the pass cannot follow is blocked, with the reason.
/// </summary>
internal sealed partial class ChannelAnalysis
{
    private static readonly HashSet<string> Unary = new(StringComparer.Ordinal)
    {
        "Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Clip", "Elu", "Selu", "Celu", "Softplus",
        "Softsign", "Gelu", "Mish", "Erf", "Abs", "Neg", "Exp", "Log", "Sqrt", "Reciprocal", "Identity", "Dropout",
        "Cast", "Floor", "Ceil", "Round", "Sign", "Sin", "Cos", "ThresholdedRelu",
    };

    private static readonly HashSet<string> Elementwise = new(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "PRelu",
    };

    private static readonly HashSet<string> Pools = new(StringComparer.Ordinal)
    {
        "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool",
    };

    private static readonly HashSet<string> Reductions = new(StringComparer.Ordinal)
    {
        "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceL1", "ReduceL2", "ReduceProd", "ReduceLogSumExp", "ReduceSumSquare", "ReduceLogSum",
    };

    private readonly ChannelGraph _graph;
    private readonly long _opset;
    private readonly PruningScope _scope;

    public ChannelAnalysis(ChannelGraph graph, long opset, PruningScope scope)
    {
        _graph = graph;
        _opset = opset;
        _scope = scope;
    }

    /// <summary>Tensors that carry pruneable channels, by value name.</summary>
    public Dictionary<string, ChannelMember> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>Every group created (roots and joined ones).</summary>
    public List<ChannelGroup> Groups { get; } = [];

    /// <summary>Layers whose bias can absorb the mean contribution of removed input channels.</summary>
    public List<BiasCorrection> Corrections { get; } = [];

    /// <summary>The edits to make once removals are decided.</summary>
    public List<ChannelEdit> Edits { get; } = [];

    public void Run()
    {
        foreach (NodeProto node in _graph.Graph.Node)
        {
            Visit(node);
        }

        foreach ((string name, ChannelMember member) in Members)
        {
            if (_graph.Outputs.Contains(name))
            {
                member.Space.Block(ChannelSkipReasons.GraphOutput);
            }

            if (_graph.OuterUses.Contains(name))
            {
                member.Space.Block(ChannelSkipReasons.Subgraph);
            }
        }
    }

    private void Visit(NodeProto node)
    {
        bool hasMember = node.Input.Any(Members.ContainsKey);
        bool producerOp = node.OpType is "Conv" or "ConvTranspose" or "Gemm" or "MatMul";
        if (!hasMember && !producerOp)
        {
            return;
        }

        if (node.Domain is not ("" or "ai.onnx"))
        {
            BlockInputs(node, ChannelSkipReasons.Operator(node.Domain + "." + node.OpType));
            return;
        }

        if (_scope.Excludes(node))
        {
            BlockInputs(node, ChannelSkipReasons.Excluded);
            return;
        }

        switch (node.OpType)
        {
            case "Conv":
                VisitConv(node);
                break;
            case "ConvTranspose":
                VisitConvTranspose(node);
                break;
            case "Gemm":
                VisitGemm(node);
                break;
            case "MatMul":
                VisitMatMul(node);
                break;
            case "BatchNormalization":
                VisitNormalization(node, 4);
                break;
            case "InstanceNormalization":
                VisitNormalization(node, 2);
                break;
            case "Flatten":
                VisitFlatten(node);
                break;
            case "Reshape":
                VisitReshape(node);
                break;
            case "Squeeze" or "Unsqueeze":
                VisitSqueeze(node);
                break;
            case "Transpose":
                VisitTranspose(node);
                break;
            case "Concat":
                VisitConcat(node);
                break;
            case "Shape":
                VisitShape(node);
                break;
            case "Resize" or "Upsample":
                VisitResize(node);
                break;
            case "Slice":
                VisitSlice(node);
                break;
            case "Softmax" or "LogSoftmax":
                VisitSoftmax(node);
                break;
            default:
                if (Unary.Contains(node.OpType))
                {
                    VisitUnary(node);
                }
                else if (Elementwise.Contains(node.OpType))
                {
                    VisitElementwise(node);
                }
                else if (Pools.Contains(node.OpType))
                {
                    VisitPool(node);
                }
                else if (Reductions.Contains(node.OpType))
                {
                    VisitReduce(node);
                }
                else
                {
                    BlockInputs(node, ChannelSkipReasons.Operator(node.OpType));
                }

                break;
        }
    }

    private ChannelMember? MemberAt(NodeProto node, int input) =>
        input < node.Input.Count && Members.TryGetValue(node.Input[input], out ChannelMember? member) ? member : null;

    private void BlockInputs(NodeProto node, string reason)
    {
        foreach (string input in node.Input)
        {
            if (Members.TryGetValue(input, out ChannelMember? member))
            {
                member.Space.Block(reason);
            }
        }
    }

    private bool OtherOutputsUsed(NodeProto node) => node.Output.Skip(1).Any(o => o.Length > 0 && _graph.UseCount(o) > 0);

    private ChannelGroup NewGroup(int size)
    {
        var group = new ChannelGroup(size);
        Groups.Add(group);
        return group;
    }

    private bool OptionalConstant(NodeProto node, int input) =>
        input >= node.Input.Count || node.Input[input].Length == 0 || _graph.IsConstant(node.Input[input]);

    private static long Attribute(NodeProto node, string name, long fallback) => InputChannelLayout.IntAttribute(node, name, fallback);

    private static int Normalize(long axis, int rank) => (int)(axis < 0 ? axis + rank : axis);
}
