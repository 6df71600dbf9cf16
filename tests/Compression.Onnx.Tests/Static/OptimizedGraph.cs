using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Compression.Onnx.Tests.Static;

/// <summary>What ONNX Runtime actually runs: the model it writes after its CPU graph optimisations (OptimizedModelFilePath).</summary>
internal static class OptimizedGraph
{
    /// <summary>Op type counts of the graph ONNX Runtime runs for <paramref name="modelPath"/> at the default (all) level.</summary>
    public static Dictionary<string, int> OpCounts(string modelPath)
    {
        string optimized = Path.Combine(Path.GetDirectoryName(modelPath)!, Path.GetFileNameWithoutExtension(modelPath) + ".ort-optimized.onnx");
        using (var options = new SessionOptions { OptimizedModelFilePath = optimized, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR })
        using (new InferenceSession(modelPath, options))
        {
        }

        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimized));
        return model.Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    public static int Count(this Dictionary<string, int> counts, string op) => counts.TryGetValue(op, out int n) ? n : 0;

    public static string Describe(this Dictionary<string, int> counts) => string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
}
