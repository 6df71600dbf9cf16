using Onnx;

namespace Compression.Onnx.IO;

/// <summary>Finds every <see cref="TensorProto"/> of a model, wherever it lives.</summary>
/// <remarks>
/// Initializers, sparse initializers, tensor-valued attributes (Constant nodes and any other op),
/// recursively through subgraph attributes, functions and training-info graphs.
/// </remarks>
internal static class ModelTensors
{
    /// <summary>Graph nesting beyond which the walk stops: a guard for models built in memory (files are already bounded by the reader's recursion limit).</summary>
    public const int MaxGraphDepth = 256;

    public static List<TensorProto> Collect(ModelProto model, string? filePath)
    {
        var tensors = new List<TensorProto>();
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

        return tensors;
    }

    private static void AddGraph(GraphProto graph, List<TensorProto> tensors, int depth, string? filePath)
    {
        if (depth > MaxGraphDepth)
        {
            throw ModelErrors.NestingTooDeep(filePath, null);
        }

        tensors.AddRange(graph.Initializer);
        foreach (SparseTensorProto sparse in graph.SparseInitializer)
        {
            AddSparse(sparse, tensors);
        }

        AddNodes(graph.Node, tensors, depth, filePath);
    }

    private static void AddNodes(IEnumerable<NodeProto> nodes, List<TensorProto> tensors, int depth, string? filePath)
    {
        foreach (NodeProto node in nodes)
        {
            foreach (AttributeProto attribute in node.Attribute)
            {
                if (attribute.T is not null)
                {
                    tensors.Add(attribute.T);
                }

                tensors.AddRange(attribute.Tensors);
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

    private static void AddSparse(SparseTensorProto sparse, List<TensorProto> tensors)
    {
        if (sparse.Values is not null)
        {
            tensors.Add(sparse.Values);
        }

        if (sparse.Indices is not null)
        {
            tensors.Add(sparse.Indices);
        }
    }
}
