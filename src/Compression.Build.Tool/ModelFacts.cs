using System.Globalization;
using System.Text.Json.Nodes;
using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Build.Tool;

/// <summary>What <c>inspect</c> reads from a model: signature, opsets, operator histogram, weight bytes by where they are stored.</summary>
internal static class ModelFacts
{
    /// <summary>The storage kinds in report order: main-graph initializers, main-graph <c>Constant</c> nodes, sparse initializers, any weight in an If/Loop/Scan body, external data.</summary>
    public static readonly string[] StorageKinds = ["initializer", "Constant", "sparse initializer", "subgraph", "external"];

    public static JsonObject Describe(OnnxModel model)
    {
        ModelSignature signature = ModelSignature.Read(model);
        var opsets = new JsonObject();
        foreach (OperatorSetIdProto o in model.Proto.OpsetImport) opsets[o.Domain.Length == 0 ? "ai.onnx" : o.Domain] = o.Version;
        var operators = new JsonObject();
        foreach (var (op, count) in Operators(model.Proto).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)) operators[op] = count;
        var (storage, floats) = WeightBytes(model);
        var weights = new JsonObject();
        foreach (string kind in StorageKinds.Where(storage.ContainsKey)) weights[kind] = storage[kind];
        return new JsonObject
        {
            ["file"] = model.FilePath,
            ["bytes"] = model.FilePath is { } path ? new FileInfo(path).Length + storage.GetValueOrDefault("external") : model.Proto.CalculateSize(),
            ["irVersion"] = model.Proto.IrVersion,
            ["producer"] = (model.Proto.ProducerName + " " + model.Proto.ProducerVersion).Trim(),
            ["inputs"] = Values(signature.Inputs),
            ["outputs"] = Values(signature.Outputs),
            ["opsets"] = opsets,
            ["operators"] = operators,
            ["weightBytes"] = weights,
            ["floatWeights"] = floats,
        };
    }

    /// <summary>Operator counts over the graph and every subgraph; other domains as <c>domain:Op</c>.</summary>
    public static SortedDictionary<string, int> Operators(ModelProto model)
    {
        var histogram = new SortedDictionary<string, int>(StringComparer.Ordinal);
        Count(model.Graph, histogram, 0);
        return histogram;
    }

    /// <summary>Bytes of every weight by storage kind (<see cref="StorageKinds"/>), and how many weights are float.</summary>
    public static (Dictionary<string, long> Bytes, int FloatWeights) WeightBytes(OnnxModel model)
    {
        var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
        int floats = 0;
        foreach (Weight w in WeightCatalog.Build(model))
        {
            string kind = w.Tensor is { } t && TensorData.IsExternal(t) ? "external"
                : w.Graph != model.Proto.Graph ? "subgraph"
                : w.Storage switch { WeightStorage.ConstantNode => "Constant", WeightStorage.SparseInitializer => "sparse initializer", _ => "initializer" };
            bytes[kind] = bytes.GetValueOrDefault(kind) + StoredBytes(w);
            if (w.IsFloat) floats++;
        }

        return (bytes, floats);
    }

    /// <summary>The weight's data bytes: dense elements at their width, a sparse tensor's values and indices, strings as written.</summary>
    private static long StoredBytes(Weight w)
    {
        if (w.SparseTensor is { } sparse) return sparse.CalculateSize();
        long dense = ElementTypes.GetByteCount(w.ElementType, w.ElementCount);
        return dense >= 0 ? dense : w.Tensor?.CalculateSize() ?? 0;
    }

    private static JsonArray Values(IEnumerable<ValueSignature> values)
    {
        var list = new JsonArray();
        foreach (ValueSignature v in values)
        {
            string shape = v.Dims is null ? "unknown rank" : "[" + string.Join(", ", v.Dims.Select(d => d.Value?.ToString(CultureInfo.InvariantCulture) ?? d.Param ?? "?")) + "]";
            list.Add(new JsonObject { ["name"] = v.Name, ["type"] = v.ElementType, ["shape"] = shape });
        }

        return list;
    }

    private static void Count(GraphProto graph, SortedDictionary<string, int> histogram, int depth)
    {
        if (depth > ModelLoadOptions.DefaultRecursionLimit) return; // protobuf nesting is bounded by the reader already
        foreach (NodeProto node in graph.Node)
        {
            string key = node.Domain is "" or "ai.onnx" ? node.OpType : node.Domain + ":" + node.OpType;
            histogram[key] = histogram.GetValueOrDefault(key) + 1;
            foreach (AttributeProto a in node.Attribute)
            {
                if (a.G is not null) Count(a.G, histogram, depth + 1);
                foreach (GraphProto g in a.Graphs) Count(g, histogram, depth + 1);
            }
        }
    }
}
