using System.Globalization;
using Onnx;

namespace Compression.Onnx.Graph;

/// <summary>
/// Hands out value and node names that no graph of the model uses yet (main graph, every nested
/// subgraph and function bodies), so names added by a pass never clash with outer-scope names.
/// </summary>
public sealed class UniqueNames
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextSuffix = new(StringComparer.Ordinal);

    private UniqueNames()
    {
    }

    /// <summary>Collects every name used in <paramref name="model"/>.</summary>
    /// <param name="model">The model.</param>
    public static UniqueNames ForModel(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var names = new UniqueNames();
        if (model.Graph is not null)
        {
            names.AddGraph(model.Graph, 0);
        }

        foreach (FunctionProto function in model.Functions)
        {
            names._used.UnionWith(function.Input);
            names._used.UnionWith(function.Output);
            names.AddNodes(function.Node, 0);
        }

        return names;
    }

    /// <summary>Whether <paramref name="name"/> is already taken.</summary>
    /// <param name="name">A value or node name.</param>
    public bool Contains(string name) => _used.Contains(name);

    /// <summary>
    /// Returns <paramref name="baseName"/> if it is free, otherwise <c>baseName_1</c>, <c>baseName_2</c>...,
    /// and marks the result as taken.
    /// </summary>
    /// <param name="baseName">The preferred name, for example <c>weight_quantized</c>.</param>
    public string Next(string baseName)
    {
        ArgumentNullException.ThrowIfNull(baseName);
        if (_used.Add(baseName))
        {
            return baseName;
        }

        int suffix = _nextSuffix.GetValueOrDefault(baseName, 1);
        string candidate;
        do
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{baseName}_{suffix++}");
        }
        while (!_used.Add(candidate));

        _nextSuffix[baseName] = suffix;
        return candidate;
    }

    /// <summary>Marks a name as taken (for names created without <see cref="Next"/>).</summary>
    /// <param name="name">The name.</param>
    public void Reserve(string name) => _used.Add(name);

    private void AddGraph(GraphProto graph, int depth)
    {
        if (depth > IO.ModelTensors.MaxGraphDepth)
        {
            return;
        }

        _used.Add(graph.Name);
        foreach (ValueInfoProto value in graph.Input.Concat(graph.Output).Concat(graph.ValueInfo))
        {
            _used.Add(value.Name);
        }

        foreach (TensorProto tensor in graph.Initializer)
        {
            _used.Add(tensor.Name);
        }

        foreach (SparseTensorProto sparse in graph.SparseInitializer)
        {
            _used.Add(sparse.Values?.Name ?? string.Empty);
        }

        AddNodes(graph.Node, depth);
    }

    private void AddNodes(IEnumerable<NodeProto> nodes, int depth)
    {
        foreach (NodeProto node in nodes)
        {
            _used.Add(node.Name);
            _used.UnionWith(node.Input);
            _used.UnionWith(node.Output);
            foreach (AttributeProto attribute in node.Attribute)
            {
                if (attribute.G is not null)
                {
                    AddGraph(attribute.G, depth + 1);
                }

                foreach (GraphProto graph in attribute.Graphs)
                {
                    AddGraph(graph, depth + 1);
                }
            }
        }
    }
}
