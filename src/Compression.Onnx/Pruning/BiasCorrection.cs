using Compression.Onnx.Tensors;
using Compression.Onnx.Graph;
using Onnx;

namespace Compression.Onnx.Pruning;

/// <summary>
/// After channels are removed, a layer that read them loses their average contribution. This edit adds it back
/// to the layer's bias: <c>b[j] += sum over removed c of (sum over the kernel of W[j, c, ...]) * mean[c]</c>, with
/// the means measured on calibration inputs (<see cref="ChannelStatistics"/>). Exact in expectation for 1x1
/// kernels and dense layers; near borders of padded kernels it is an approximation. It runs before the slicing
/// edits, on the full-width kernel.
/// </summary>
/// <param name="Node">A Conv (group 1) or Gemm that reads the pruned channels, or a MatMul followed by an Add of a constant bias.</param>
/// <param name="Read">The space read.</param>
/// <param name="Produced">The layer's own output space (a new bias is cut to it), or null.</param>
internal sealed record BiasCorrection(NodeProto Node, ChannelSpace Read, ChannelSpace? Produced)
{
    /// <summary>
    /// What removing each read channel costs this layer beyond its mean (which the bias absorbs): the squared
    /// norm of the kernel slice that reads the channel times the channel's variance, divided by the mean over channels.
    /// </summary>
    public double[] RemovalCost(ChannelGraph graph, double[] variance)
    {
        long[] dims = graph.ConstantDims(Node.Input[1])!;
        float[] w = graph.ReadFloats(Node.Input[1]);
        var cost = new double[Read.Size];
        if (variance.Length != Read.Size)
        {
            return cost;
        }

        bool transB = Node.OpType == "Gemm" && InputChannelLayout.IntAttribute(Node, "transB") != 0;
        int axis = Node.OpType == "Conv" || transB ? 1 : 0;
        long outer = dims.Take(axis).Aggregate(1L, (a, b) => a * b);
        long inner = dims.Skip(axis + 1).Aggregate(1L, (a, b) => a * b);
        for (long o = 0; o < outer; o++)
        {
            for (int c = 0; c < Read.Size; c++)
            {
                long start = ((o * dims[axis]) + c) * inner;
                for (long i = 0; i < inner; i++)
                {
                    cost[c] += (double)w[start + i] * w[start + i];
                }
            }
        }

        double total = 0;
        for (int c = 0; c < cost.Length; c++)
        {
            cost[c] *= variance[c];
            total += cost[c];
        }

        double mean = total / cost.Length;
        return mean > 0 ? cost.Select(v => v / mean).ToArray() : cost;
    }

    /// <summary>Applies the correction; returns whether a bias changed.</summary>
    public bool Apply(ChannelGraph graph, double[] means)
    {
        int[] kept = Read.Kept();
        if (kept.Length == Read.Size || means.Length != Read.Size)
        {
            return false;
        }

        var removed = Enumerable.Range(0, Read.Size).Except(kept).ToArray();
        long[] dims = graph.ConstantDims(Node.Input[1])!;
        float[] w = graph.ReadFloats(Node.Input[1]);
        double[] delta;
        switch (Node.OpType)
        {
            case "Conv":
                delta = new double[dims[0]];
                long perOutput = w.Length / dims[0];
                long kernel = perOutput / dims[1];
                for (long j = 0; j < dims[0]; j++)
                {
                    foreach (int c in removed)
                    {
                        double sum = 0;
                        for (long k = 0; k < kernel; k++)
                        {
                            sum += w[(j * perOutput) + (c * kernel) + k];
                        }

                        delta[j] += sum * means[c];
                    }
                }

                return AddToBias(graph, Node, 2, delta);
            default:
                bool transB = Node.OpType == "Gemm" && InputChannelLayout.IntAttribute(Node, "transB") != 0;
                long n = transB ? dims[0] : dims[1];
                delta = new double[n];
                for (long j = 0; j < n; j++)
                {
                    foreach (int c in removed)
                    {
                        delta[j] += w[transB ? (j * dims[1]) + c : (c * dims[1]) + j] * means[c];
                    }
                }

                if (Node.OpType == "Gemm")
                {
                    float beta = Node.GetFloat("beta", 1f);
                    float alpha = Node.GetFloat("alpha", 1f);
                    return beta != 0 && AddToBias(graph, Node, 2, delta.Select(d => d * alpha / beta).ToArray());
                }

                // MatMul: the bias is the constant of the Add that follows alone.
                if (graph.ConsumersOf(Node.Output[0]) is [{ Node.OpType: "Add" } add] && add.Node.Input.Count == 2)
                {
                    int other = 1 - add.Input;
                    if (graph.IsFloatConstant(add.Node.Input[other]) && graph.ConstantDims(add.Node.Input[other]) is [long size] && size == n)
                    {
                        return AddToBias(graph, add.Node, other, delta);
                    }
                }

                return false;
        }
    }

    private bool AddToBias(ChannelGraph graph, NodeProto node, int input, double[] delta)
    {
        if (input < node.Input.Count && node.Input[input].Length > 0)
        {
            string name = node.Input[input];
            long[] dims = graph.ConstantDims(name)!;
            if (dims.Aggregate(1L, (a, b) => a * b) != delta.Length)
            {
                return false;
            }

            if (graph.UseCount(name) > 1)
            {
                name = graph.Detach(node, input);
            }

            float[] bias = graph.ReadFloats(name);
            for (int j = 0; j < bias.Length; j++)
            {
                bias[j] += (float)delta[j];
            }

            TensorProto updated = graph.Constant(name)!.Clone();
            TensorData.WriteFloats(updated, bias);
            graph.Replace(name, updated);
            return true;
        }

        if (node.OpType != "Conv" && node.OpType != "Gemm")
        {
            return false;
        }

        // No bias yet: add one, already cut to the layer's surviving output channels.
        int[] kept = Produced?.Kept() ?? Enumerable.Range(0, delta.Length).ToArray();
        float[] values = kept.Select(j => (float)delta[j]).ToArray();
        string fresh = graph.AddConstant(graph.Names.Next(node.Output[0] + "_bias"), TensorData.CreateFloat(string.Empty, [values.Length], values), node);
        while (node.Input.Count < input)
        {
            node.Input.Add(string.Empty);
        }

        node.Input.Add(fresh);
        return true;
    }
}
