using Onnx;

namespace Compression.Onnx.IO;

/// <summary>Finds every <see cref="TensorProto"/> of a model, wherever it lives.</summary>
/// <remarks>
/// Initializers, sparse initializers, tensor-valued attributes (Constant nodes and any other op),
/// recursively through subgraph attributes, functions and training-info graphs.
/// </remarks>
internal static class ModelTensors
{
    /// <summary>Where a found tensor sits; external data is written for initializers by default, like onnx's own tools.</summary>
    public enum Site
    {
        Initializer,
        Other,
    }

    /// <summary>Graph nesting beyond which the walk stops: a guard for models built in memory (files are already bounded by the reader's recursion limit).</summary>
    public const int MaxGraphDepth = 256;

    public static List<TensorProto> Collect(ModelProto model, string? filePath) => Collect(model, filePath, null);

    public static List<TensorProto> Collect(ModelProto model, string? filePath, List<Site>? sites)
    {
        var tensors = new Found(sites);
        if (model.Graph is not null)
        {
            AddGraph(model.Graph, tensors, 0, filePath);
        }

        foreach (FunctionProto function in model.Functions)
        {
            AddNodes(function.Node, tensors, 0, filePath);
        }

        foreach (TrainingInfoProto training in model.TrainingInfo)
        {
            if (training.Initialization is not null)
            {
                AddGraph(training.Initialization, tensors, 0, filePath);
            }

            if (training.Algorithm is not null)
            {
                AddGraph(training.Algorithm, tensors, 0, filePath);
            }
        }

        return tensors.Tensors;
    }

    private static void AddGraph(GraphProto graph, Found tensors, int depth, string? filePath)
    {
        if (depth > MaxGraphDepth)
        {
            throw ModelErrors.NestingTooDeep(filePath, null);
        }

        tensors.AddRange(graph.Initializer, Site.Initializer);
        foreach (SparseTensorProto sparse in graph.SparseInitializer)
        {
            AddSparse(sparse, tensors);
        }

        AddNodes(graph.Node, tensors, depth, filePath);
    }

    private static void AddNodes(IEnumerable<NodeProto> nodes, Found tensors, int depth, string? filePath)
    {
        foreach (NodeProto node in nodes)
        {
            foreach (AttributeProto attribute in node.Attribute)
            {
                if (attribute.T is not null)
                {
                    tensors.Add(attribute.T, Site.Other);
                }

                tensors.AddRange(attribute.Tensors, Site.Other);
                if (attribute.SparseTensor is not null)
                {
                    AddSparse(attribute.SparseTensor, tensors);
                }

                foreach (SparseTensorProto sparse in attribute.SparseTensors)
                {
                    AddSparse(sparse, tensors);
                }

                if (attribute.G is not null)
                {
                    AddGraph(attribute.G, tensors, depth + 1, filePath);
                }

                foreach (GraphProto graph in attribute.Graphs)
                {
                    AddGraph(graph, tensors, depth + 1, filePath);
                }
            }
        }
    }

    private static void AddSparse(SparseTensorProto sparse, Found tensors)
    {
        if (sparse.Values is not null)
        {
            tensors.Add(sparse.Values, Site.Other);
        }

        if (sparse.Indices is not null)
        {
            tensors.Add(sparse.Indices, Site.Other);
        }
    }

    /// <summary>The tensors found so far and, when asked for, where each sits.</summary>
    private sealed class Found(List<Site>? sites)
    {
        public List<TensorProto> Tensors { get; } = [];

        public void Add(TensorProto tensor, Site site)
        {
            Tensors.Add(tensor);
            sites?.Add(site);
        }

        public void AddRange(IEnumerable<TensorProto> tensors, Site site)
        {
            foreach (TensorProto tensor in tensors)
            {
                Add(tensor, site);
            }
        }
    }
}
