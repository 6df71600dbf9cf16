using System.Collections;
using Compression.Onnx.IO;
using Onnx;

namespace Compression.Onnx.Graph;

/// <summary>
/// Every constant tensor of a model's graph, wherever it lives: initializers, sparse initializers and
/// <c>Constant</c> nodes, in the main graph and recursively in the subgraphs of <c>If</c>, <c>Loop</c>,
/// <c>Scan</c> (any graph attribute). Each <see cref="Weight"/> lists its consumers, resolved with ONNX
/// scoping: a subgraph can use an outer-scope weight, and a name defined in a subgraph hides an outer one.
/// </summary>
/// <remarks>Function bodies (<c>model.functions</c>) and training-info graphs are not listed: their constants belong to every call site.</remarks>
public sealed class WeightCatalog : IReadOnlyList<Weight>
{
    private readonly List<Weight> _weights;

    private WeightCatalog(List<Weight> weights)
    {
        _weights = weights;
        FloatWeights = weights.Where(w => w.IsFloat).ToArray();
    }

    /// <summary>The weights of a float-like element type (<c>float</c>, <c>float16</c>, <c>bfloat16</c>, <c>double</c>).</summary>
    public IReadOnlyList<Weight> FloatWeights { get; }

    /// <inheritdoc />
    public int Count => _weights.Count;

    /// <inheritdoc />
    public Weight this[int index] => _weights[index];

    /// <summary>Lists every weight of <paramref name="model"/>.</summary>
    /// <param name="model">The model.</param>
    public static WeightCatalog Build(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var weights = new List<Weight>();
        var scopes = new List<Dictionary<string, Weight?>>();
        AddGraph(model, model.Proto.Graph, scopes, weights);
        return new WeightCatalog(weights);
    }

    /// <summary>The weights with this name (one per graph that defines it; usually one).</summary>
    /// <param name="name">The value name.</param>
    public IEnumerable<Weight> FindAll(string name) => _weights.Where(w => w.Name == name);

    /// <summary>The first weight with this name, or <see langword="null"/>.</summary>
    /// <param name="name">The value name.</param>
    public Weight? Find(string name) => _weights.Find(w => w.Name == name);

    /// <inheritdoc />
    public IEnumerator<Weight> GetEnumerator() => _weights.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static void AddGraph(OnnxModel model, GraphProto graph, List<Dictionary<string, Weight?>> scopes, List<Weight> weights)
    {
        if (scopes.Count > ModelTensors.MaxGraphDepth)
        {
            throw ModelErrors.NestingTooDeep(model.FilePath, null);
        }

        // Pass 1: everything this graph defines; null marks a name that is defined here but is not a weight.
        var scope = new Dictionary<string, Weight?>(StringComparer.Ordinal);
        foreach (ValueInfoProto input in graph.Input)
        {
            scope[input.Name] = null;
        }

        foreach (TensorProto tensor in graph.Initializer)
        {
            var weight = new Weight(model, tensor.Name, graph, WeightStorage.Initializer, tensor, null, null, null)
            {
                IsGraphInput = scope.ContainsKey(tensor.Name),
            };
            scope[tensor.Name] = weight;
            weights.Add(weight);
        }

        foreach (SparseTensorProto sparse in graph.SparseInitializer)
        {
            string name = sparse.Values?.Name ?? string.Empty;
            var weight = new Weight(model, name, graph, WeightStorage.SparseInitializer, null, sparse, null, null)
            {
                IsGraphInput = scope.ContainsKey(name),
            };
            scope[name] = weight;
            weights.Add(weight);
        }

        foreach (NodeProto node in graph.Node)
        {
            Weight? constant = TryConstant(model, graph, node);
            if (constant is not null)
            {
                weights.Add(constant);
            }

            foreach (string output in node.Output)
            {
                if (output.Length > 0)
                {
                    scope[output] = constant;
                }
            }
        }

        scopes.Add(scope);
        try
        {
            // Pass 2: resolve uses, innermost scope first, and descend into subgraphs.
            foreach (NodeProto node in graph.Node)
            {
                for (int i = 0; i < node.Input.Count; i++)
                {
                    Resolve(scopes, node.Input[i])?.AddConsumer(new WeightConsumer(node, i, graph));
                }

                foreach (AttributeProto attribute in node.Attribute)
                {
                    if (attribute.G is not null)
                    {
                        AddGraph(model, attribute.G, scopes, weights);
                    }

                    foreach (GraphProto subgraph in attribute.Graphs)
                    {
                        AddGraph(model, subgraph, scopes, weights);
                    }
                }
            }

            for (int i = 0; i < graph.Output.Count; i++)
            {
                Resolve(scopes, graph.Output[i].Name)?.AddConsumer(new WeightConsumer(null, i, graph));
            }
        }
        finally
        {
            scopes.RemoveAt(scopes.Count - 1);
        }
    }

    private static Weight? Resolve(List<Dictionary<string, Weight?>> scopes, string name)
    {
        if (name.Length == 0)
        {
            return null;
        }

        for (int i = scopes.Count - 1; i >= 0; i--)
        {
            if (scopes[i].TryGetValue(name, out Weight? weight))
            {
                return weight;
            }
        }

        return null;
    }

    private static Weight? TryConstant(OnnxModel model, GraphProto graph, NodeProto node)
    {
        if (node.OpType != "Constant" || node.Domain is not ("" or "ai.onnx") || node.Output.Count != 1)
        {
            return null;
        }

        foreach (AttributeProto attribute in node.Attribute)
        {
            switch (attribute.Name)
            {
                case "value" when attribute.T is not null:
                    return new Weight(model, node.Output[0], graph, WeightStorage.ConstantNode, attribute.T, null, node, attribute);
                case "sparse_value" when attribute.SparseTensor is not null:
                    return new Weight(model, node.Output[0], graph, WeightStorage.ConstantNode, null, attribute.SparseTensor, node, attribute);
                case "value_float" or "value_floats" or "value_int" or "value_ints" or "value_string" or "value_strings":
                    return new Weight(model, node.Output[0], graph, WeightStorage.ConstantNode, null, null, node, attribute);
                default:
                    break;
            }
        }

        return null;
    }
}
