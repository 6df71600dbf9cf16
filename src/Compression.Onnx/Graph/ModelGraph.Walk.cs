using Onnx;

namespace Compression.Onnx.Graph;

internal sealed partial class ModelGraph
{
    /// <summary>
    /// The walk behind <see cref="Build"/>. Per graph, pass 1 lists what the graph defines (inputs, stored tensors, node
    /// outputs; a Constant node's output is a weight) and pass 2 visits the nodes in order: producers, uses, weight
    /// consumers resolved innermost scope first, then each subgraph, whose reads of names it does not define are reads
    /// by the node that owns it.
    /// </summary>
    private sealed class Walk(ModelGraph model, List<Weight> weights)
    {
        /// <summary>Walks <paramref name="graph"/> and returns the names it (or its subgraphs) reads from outside itself.</summary>
        public HashSet<string> Graph(GraphProto graph, List<Dictionary<string, Weight?>> scopes)
        {
            Subgraphs.CheckDepth(scopes.Count, model.FilePath);
            model.Names.AddGraph(graph);
            var scope = Define(graph);
            var reads = new HashSet<string>(StringComparer.Ordinal);
            scopes.Add(scope);
            try
            {
                foreach (NodeProto node in graph.Node)
                {
                    Visit(node, graph, scope, scopes, reads);
                }

                for (int i = 0; i < graph.Output.Count; i++)
                {
                    string name = graph.Output[i].Name;
                    model._graphOutputs.Add(name);
                    Resolve(scopes, name)?.AddConsumer(new ValueUse(null, i, graph));
                    if (!scope.ContainsKey(name))
                    {
                        reads.Add(name);
                    }
                }
            }
            finally
            {
                scopes.RemoveAt(scopes.Count - 1);
            }

            return reads;
        }

        /// <summary>Pass 1: every name the graph defines; null marks a name that is not a weight.</summary>
        private Dictionary<string, Weight?> Define(GraphProto graph)
        {
            var scope = new Dictionary<string, Weight?>(StringComparer.Ordinal);
            foreach (ValueInfoProto input in graph.Input)
            {
                scope[input.Name] = null;
            }

            foreach (TensorProto tensor in graph.Initializer)
            {
                Add(scope, new Weight(model.Model, tensor.Name, graph, WeightStorage.Initializer, tensor, null, null, null) { IsGraphInput = scope.ContainsKey(tensor.Name) });
            }

            foreach (SparseTensorProto sparse in graph.SparseInitializer)
            {
                string name = sparse.Values?.Name ?? string.Empty;
                Add(scope, new Weight(model.Model, name, graph, WeightStorage.SparseInitializer, null, sparse, null, null) { IsGraphInput = scope.ContainsKey(name) });
            }

            foreach (NodeProto node in graph.Node)
            {
                Weight? constant = ConstantOf(graph, node);
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

            return scope;
        }

        /// <summary>Pass 2 for one node: its place, its reads and its subgraphs.</summary>
        private void Visit(NodeProto node, GraphProto graph, Dictionary<string, Weight?> scope, List<Dictionary<string, Weight?>> scopes, HashSet<string> reads)
        {
            model._nodes.Add((node, graph));
            foreach (string output in node.Output)
            {
                if (output.Length > 0)
                {
                    model._producers[output] = (node, graph);
                }
            }

            for (int i = 0; i < node.Input.Count; i++)
            {
                string name = node.Input[i];
                if (name.Length == 0)
                {
                    continue;
                }

                var use = new ValueUse(node, i, graph);
                model.AddUse(name, use);
                Resolve(scopes, name)?.AddConsumer(use);
                if (!scope.ContainsKey(name))
                {
                    reads.Add(name);
                }
            }

            var outer = new HashSet<string>(StringComparer.Ordinal);
            foreach (GraphProto subgraph in Subgraphs.Of(node))
            {
                outer.UnionWith(Graph(subgraph, scopes));
            }

            if (outer.Count > 0)
            {
                if (!model._subgraphReads.TryGetValue(graph, out var owned)) model._subgraphReads[graph] = owned = new(StringComparer.Ordinal);
                owned.UnionWith(outer);
            }

            foreach (string name in outer)
            {
                model.AddUse(name, new ValueUse(node, -1, graph));
                if (!scope.ContainsKey(name))
                {
                    reads.Add(name);
                }
            }
        }

        private void Add(Dictionary<string, Weight?> scope, Weight weight)
        {
            scope[weight.Name] = weight;
            weights.Add(weight);
        }

        private static Weight? Resolve(List<Dictionary<string, Weight?>> scopes, string name)
        {
            for (int i = scopes.Count - 1; i >= 0; i--)
            {
                if (scopes[i].TryGetValue(name, out Weight? weight))
                {
                    return weight;
                }
            }

            return null;
        }

        private Weight? ConstantOf(GraphProto graph, NodeProto node)
        {
            if (node.OpType != "Constant" || !node.IsDefaultDomain() || node.Output.Count != 1)
            {
                return null;
            }

            foreach (AttributeProto attribute in node.Attribute)
            {
                switch (attribute.Name)
                {
                    case "value" when attribute.T is not null:
                        return new Weight(model.Model, node.Output[0], graph, WeightStorage.ConstantNode, attribute.T, null, node, attribute);
                    case "sparse_value" when attribute.SparseTensor is not null:
                        return new Weight(model.Model, node.Output[0], graph, WeightStorage.ConstantNode, null, attribute.SparseTensor, node, attribute);
                    case "value_float" or "value_floats" or "value_int" or "value_ints" or "value_string" or "value_strings":
                        return new Weight(model.Model, node.Output[0], graph, WeightStorage.ConstantNode, null, null, node, attribute);
                    default:
                        break;
                }
            }

            return null;
        }
    }
}
