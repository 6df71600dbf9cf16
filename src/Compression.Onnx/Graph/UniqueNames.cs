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
            foreach (GraphProto graph in Subgraphs.All(model.Graph))
            {
                names.AddGraph(graph);
            }
        }

        names.AddFunctions(model);
        return names;
    }

    /// <summary>An empty set, filled by <see cref="ModelGraph"/> as it walks the model.</summary>
    internal static UniqueNames Empty() => new();

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

    /// <summary>Takes the names <paramref name="graph"/> itself uses (not those of its subgraphs).</summary>
    internal void AddGraph(GraphProto graph)
    {
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

        foreach (NodeProto node in graph.Node)
        {
            AddNode(node);
        }
    }

    /// <summary>Takes the names of function bodies (their nodes and nested graphs).</summary>
    internal void AddFunctions(ModelProto model)
    {
        foreach (FunctionProto function in model.Functions)
        {
            _used.UnionWith(function.Input);
            _used.UnionWith(function.Output);
            foreach (NodeProto node in function.Node)
            {
                AddNode(node);
                foreach (GraphProto graph in Subgraphs.Of(node).SelectMany(g => Subgraphs.All(g)))
                {
                    AddGraph(graph);
                }
            }
        }
    }

    private void AddNode(NodeProto node)
    {
        _used.Add(node.Name);
        _used.UnionWith(node.Input);
        _used.UnionWith(node.Output);
    }
}
