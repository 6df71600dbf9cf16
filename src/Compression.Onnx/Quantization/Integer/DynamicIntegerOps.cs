using Compression.Onnx.Graph;
using Compression.Onnx.Passes;
using Onnx;

namespace Compression.Onnx.Quantization.Integer;

/// <summary>
/// Dynamic 8-bit quantization of the nodes whose operator has an <see cref="IIntegerOpRewrite"/> and whose weight (input
/// 1) is a constant: weights quantized offline, the activation quantized at run time by <c>DynamicQuantizeLinear</c>
/// (uint8, per tensor), integer products rescaled by <c>x_scale · w_scale[channel]</c>, as in ONNX Runtime's
/// quantize_dynamic. A weight is converted only when every node reading it can be; the others are left to the rewrites
/// after this one (weight-only). Converted weights and the tensors written for them are claimed.
/// </summary>
internal sealed class DynamicIntegerOps : IRewrite
{
    /// <summary>MatMul, Gemm and Conv: the operators ONNX Runtime's CPU provider runs as integer kernels after dynamic quantization.</summary>
    public static readonly IReadOnlyList<IIntegerOpRewrite> Operators = [new MatMulIntegerRewrite(), new GemmIntegerRewrite(), new ConvIntegerRewrite()];

    private readonly OpRegistry<IIntegerOpRewrite> _registry;

    /// <summary>A rewrite for <paramref name="operators"/> (default <see cref="Operators"/>).</summary>
    public DynamicIntegerOps(IEnumerable<IIntegerOpRewrite>? operators = null)
    {
        _registry = new OpRegistry<IIntegerOpRewrite>(operators ?? Operators);
    }

    /// <summary>The count recorded for each converted node of <paramref name="opType"/>.</summary>
    public static string Converted(string opType) => opType + " integer";

    /// <summary>The count recorded for each weight stored as integers.</summary>
    public const string WeightsConverted = "weights for integer ops";

    public bool CountsWeights => true;

    public void Apply(RewriteContext context, CancellationToken cancellationToken)
    {
        var run = new DynamicQuantization(context);
        var model = context.Graph;
        var plan = new List<(NodeProto Node, GraphProto Graph, Weight Weight, IIntegerOpRewrite Op)>();
        foreach (var (node, graph) in model.Nodes)
        {
            if (node.Domain.Length != 0 || ModelGraph.IsExcluded(node, context.Settings) || node.Input.Count < 2
                || _registry.Find(node) is not { } op || !model.Constants.TryGetValue(node.Input[1], out var weight)
                || model.IsConstant(node.Input[0]) || context.IsClaimed(weight.Name))
            {
                continue;
            }

            if (weight.Readers.All(r => CanConvert(r.Node!, weight, run)) && WeightSelection.IsCandidate(weight, context.Settings))
            {
                plan.Add((node, graph, weight, op));
            }
        }

        // The arithmetic (read, range, quantize) runs in parallel over distinct weights; graph edits stay sequential and
        // in graph order, so the output is the same bytes whatever the scheduling.
        var distinct = plan.DistinctBy(p => p.Weight.Name).ToList();
        var quantized = new QuantizedWeight?[distinct.Count];
        var weightsDone = context.WeightsDone;
        int done = 0;
        Parallel.For(0, distinct.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            float[] values = distinct[i].Weight.ReadFloats();
            quantized[i] = WeightSelection.IsFinite(values) ? distinct[i].Op.Quantize(values, distinct[i].Weight, run) : null;
            weightsDone?.Invoke(Interlocked.Increment(ref done), distinct.Count);
        });
        weightsDone?.Invoke(distinct.Count, distinct.Count);
        for (int i = 0; i < distinct.Count; i++)
        {
            if (quantized[i] is { } q) run.Precomputed[distinct[i].Weight.Name] = q;
        }

        var converted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, graph, weight, op) in plan)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!run.Precomputed.ContainsKey(weight.Name)) continue;
            op.Rewrite(node, graph, weight, run);
            context.Record(Converted(op.OpType));
            context.Claim(weight.Name);
            converted.Add(weight.Name);
        }

        context.Record(WeightsConverted, converted.Count);
    }

    /// <summary>The checks every integer op shares (default domain, the weight is input 1 and not input 0, not excluded, same op and layout as the weight's first reader), then the operator's own.</summary>
    private bool CanConvert(NodeProto node, Weight weight, DynamicQuantization run)
    {
        if (node.Domain.Length != 0 || node.Input.Count < 2 || node.Input[1] != weight.Name || node.Input[0] == weight.Name
            || ModelGraph.IsExcluded(node, run.Settings))
        {
            return false;
        }

        var first = weight.Readers[0].Node!;
        bool sameAsFirst = first.OpType == node.OpType && first.GetInt("transB", 0) == node.GetInt("transB", 0);
        return sameAsFirst && _registry.Find(node) is { } op && op.Accepts(node, weight, run);
    }
}
