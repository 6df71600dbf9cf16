using System.Globalization;
using Onnx;

namespace Compression.Onnx.Pipeline;

/// <summary>Rejects contradictory or out-of-range settings, and exclusions naming things the model does not have, with coded errors.</summary>
internal static class SettingsCheck
{
    public static void Validate(CompressionSettings s, string sourcePath)
    {
        if (s.EffectiveMode == QuantizationMode.Full && s.Quantize is not (QuantizationType.Float16 or QuantizationType.BFloat16))
        {
            throw Invalid(sourcePath, $"Mode=Full applies to Float16 and BFloat16 only, not Quantize={s.Quantize}.", "Use Mode=Dynamic or WeightOnly for integer types.");
        }

        if (s.EffectiveMode == QuantizationMode.Dynamic && s.Quantize is QuantizationType.Float16 or QuantizationType.BFloat16)
        {
            throw Invalid(sourcePath, $"Mode=Dynamic applies to integer types, not Quantize={s.Quantize}.", "Use Mode=WeightOnly (16-bit storage) or Mode=Full (16-bit computation).");
        }

        if (s.Quantize == QuantizationType.None && s.Mode != QuantizationMode.Default)
        {
            throw Invalid(sourcePath, $"Mode={s.Mode} needs a Quantize type.", "Set Quantize (Int8, UInt8, Int4, UInt4, Float16, BFloat16) or remove Mode.");
        }

        if (!(s.Sparsity >= 0 && s.Sparsity <= 0.99))
        {
            throw Invalid(sourcePath, string.Create(CultureInfo.InvariantCulture, $"Sparsity={s.Sparsity} is outside 0..0.99."), "Give the fraction of weights to remove, for example 0.5.");
        }

        if (s.BlockSize < 16 || (s.BlockSize & (s.BlockSize - 1)) != 0)
        {
            throw Invalid(sourcePath, string.Create(CultureInfo.InvariantCulture, $"BlockSize={s.BlockSize} is not a power of two of at least 16."), "Use 16, 32, 64, 128...");
        }

        if (s.Tolerance is { } tolerance)
        {
            AccuracyBudget.Parse(tolerance, sourcePath);
        }

        if (s.MinimumWeightElements is < 0 || s.ValidationSampleCount < 1)
        {
            throw Invalid(sourcePath, "MinimumWeightElements must be 0 or more and ValidationSampleCount 1 or more.", "Use the defaults (256 and 4) unless you have a reason.");
        }
    }

    /// <summary>ExcludeOps/ExcludeNodes must name op types and nodes the model has: a typo would otherwise silently exclude nothing.</summary>
    public static void ValidateExclusions(CompressionSettings s, ModelProto model, string sourcePath)
    {
        if (s.ExcludeOps.Count == 0 && s.ExcludeNodes.Count == 0) return;
        var ops = new HashSet<string>(StringComparer.Ordinal);
        var nodes = new HashSet<string>(StringComparer.Ordinal);
        Collect(model.Graph, ops, nodes);
        foreach (string op in s.ExcludeOps)
        {
            if (!ops.Contains(op))
            {
                throw new CompressionException(DiagnosticCodes.UnknownExcludedOp, $"ExcludeOps names '{op}', but no node of the model has that operator type.", sourcePath,
                    "Operator types are case-sensitive ONNX names such as MatMul, Conv, Gemm. The model has: " + string.Join(", ", ops.Order(StringComparer.Ordinal)) + ".");
            }
        }

        foreach (string node in s.ExcludeNodes)
        {
            if (!nodes.Contains(node))
            {
                throw new CompressionException(DiagnosticCodes.UnknownExcludedNode, $"ExcludeNodes names '{node}', but the model has no node of that name.", sourcePath,
                    "Node names are case-sensitive; look them up in a model viewer such as Netron.");
            }
        }
    }

    private static void Collect(GraphProto graph, HashSet<string> ops, HashSet<string> nodes)
    {
        foreach (var n in graph.Node)
        {
            ops.Add(n.OpType);
            if (n.Name.Length > 0) nodes.Add(n.Name);
            foreach (var a in n.Attribute)
            {
                if (a.G is not null) Collect(a.G, ops, nodes);
                foreach (var g in a.Graphs) Collect(g, ops, nodes);
            }
        }
    }

    private static CompressionException Invalid(string path, string message, string help) => new(DiagnosticCodes.InvalidSettings, message, path, help);
}
