using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Compression.Onnx;
using Compression.Onnx.Conversion;
using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Build.Tool;

/// <summary><c>inspect IN.onnx</c>: signature, opsets, operators, weights by storage, and what the settings would touch.</summary>
internal static class InspectCommand
{
    private static readonly HashSet<string> QuantizableOps = ["MatMul", "Gemm", "Conv", "ConvTranspose", "Gather", "LSTM", "GRU", "RNN", "Attention"];

    public static Command Create(Option<bool> json, TextWriter stdout, TextWriter stderr)
    {
        var input = new Argument<string>("input") { Description = "The ONNX model." };
        var command = new Command("inspect", "Describe a model: inputs/outputs, opsets, operator histogram, weight bytes by storage, what each setting would touch.");
        command.Arguments.Add(input);
        command.SetAction(parsed =>
        {
            var o = new Output(parsed.GetValue(json), stdout, stderr);
            return CommandLine.Guard(o, () =>
            {
                using OnnxModel model = OnnxModel.Load(parsed.GetValue(input)!);
                JsonObject result = Describe(model);
                if (o.Json) o.Write(result);
                else WriteText(o.Out, result);
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static JsonObject Describe(OnnxModel model)
    {
        ModelSignature signature = ModelSignature.Read(model);
        var opsets = new JsonObject();
        foreach (OperatorSetIdProto o in model.Proto.OpsetImport) opsets[o.Domain.Length == 0 ? "ai.onnx" : o.Domain] = o.Version;
        var histogram = new SortedDictionary<string, int>(StringComparer.Ordinal);
        Count(model.Proto.Graph, histogram, 0);

        var storage = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var touched = new SortedDictionary<string, (int Count, long Bytes)>(StringComparer.Ordinal);
        foreach (Weight w in WeightCatalog.Build(model))
        {
            long bytes = w.ElementCount * Math.Max(1, ElementTypes.GetBitsPerElement(w.ElementType)) / 8;
            string where = w.Tensor is { } t && TensorData.IsExternal(t) ? "external" : w.Graph != model.Proto.Graph ? "subgraph" : w.Storage.ToString();
            storage[where] = storage.GetValueOrDefault(where) + bytes;
            if (w.IsFloat)
            {
                foreach (string op in w.Consumers.Where(c => c.Node is not null && QuantizableOps.Contains(c.Node.OpType)).Select(c => c.Node!.OpType).Distinct())
                {
                    var (count, total) = touched.GetValueOrDefault(op);
                    touched[op] = (count + 1, total + bytes);
                }
            }
        }

        var storageJson = new JsonObject();
        foreach (var (k, v) in storage) storageJson[k] = v;
        var ops = new JsonObject();
        foreach (var (k, v) in histogram) ops[k] = v;
        var quantize = new JsonObject();
        foreach (var (op, (count, bytes)) in touched) quantize[op] = new JsonObject { ["weights"] = count, ["bytes"] = bytes };
        return new JsonObject
        {
            ["inputs"] = Values(signature.Inputs),
            ["outputs"] = Values(signature.Outputs),
            ["opsets"] = opsets,
            ["operators"] = ops,
            ["weightBytes"] = storageJson,
            ["quantize"] = quantize,
            ["targetOpset"] = Conversion(model),
        };
    }

    /// <summary>A dry run of the converter to the newest opset: the nodes it would rewrite, or why it cannot.</summary>
    private static JsonObject Conversion(OnnxModel model)
    {
        int newest = OpsetConverter.SupportedOpsets.Newest;
        using OnnxModel copy = OnnxModel.FromProto(model.Proto.Clone(), model.BaseDirectory);
        try
        {
            OpsetConversion result = OpsetConverter.Convert(copy, newest, model.FilePath);
            var adapted = new JsonObject();
            foreach (var (k, v) in result.Adapted) adapted[k] = v;
            return new JsonObject { ["target"] = newest, ["converts"] = true, ["rewrites"] = adapted };
        }
        catch (CompressionException e)
        {
            return new JsonObject { ["target"] = newest, ["converts"] = false, ["reason"] = e.Code + ": " + e.Message };
        }
    }

    private static JsonArray Values(IEnumerable<ValueSignature> values)
    {
        var list = new JsonArray();
        foreach (ValueSignature v in values)
        {
            string shape = v.Dims is null ? "?" : "[" + string.Join(", ", v.Dims.Select(d => d.Value?.ToString(CultureInfo.InvariantCulture) ?? d.Param ?? "?")) + "]";
            list.Add(new JsonObject { ["name"] = v.Name, ["type"] = v.ElementType, ["shape"] = shape });
        }

        return list;
    }

    private static void Count(GraphProto graph, SortedDictionary<string, int> histogram, int depth)
    {
        if (depth > 64) return; // the reader rejects deeper nesting (CMP1004) before this runs
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

    private static void WriteText(TextWriter w, JsonObject r)
    {
        foreach (string section in new[] { "inputs", "outputs" })
        {
            w.WriteLine(section + ":");
            foreach (JsonNode? v in r[section]!.AsArray()) w.WriteLine($"  {v!["name"]}: {v["type"]} {v["shape"]}");
        }

        w.WriteLine("opsets: " + string.Join(", ", r["opsets"]!.AsObject().Select(p => $"{p.Key} {p.Value}")));
        w.WriteLine("operators: " + string.Join(", ", r["operators"]!.AsObject().OrderByDescending(p => (int)p.Value!).Select(p => $"{p.Key} {p.Value}")));
        w.WriteLine("weight bytes: " + string.Join(", ", r["weightBytes"]!.AsObject().Select(p => $"{p.Key} {p.Value}")));
        w.WriteLine("Quantize would touch: " + string.Join(", ", r["quantize"]!.AsObject().Select(p => $"{p.Key} ({p.Value!["weights"]} weights, {p.Value["bytes"]} bytes)")));
        JsonNode conversion = r["targetOpset"]!;
        w.WriteLine((bool)conversion["converts"]!
            ? $"TargetOpset={conversion["target"]} would rewrite: " + string.Join(", ", conversion["rewrites"]!.AsObject().Select(p => $"{p.Key} {p.Value}"))
            : $"TargetOpset={conversion["target"]}: {conversion["reason"]}");
    }
}
