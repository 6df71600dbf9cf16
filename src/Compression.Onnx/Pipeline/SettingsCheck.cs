using System.Globalization;
using Compression.Onnx.Settings;
using Compression.Onnx.Validation.Tolerance;
using Onnx;

namespace Compression.Onnx.Pipeline;

/// <summary>Rejects contradictory or out-of-range settings, and exclusions naming things the model does not have, with coded errors.</summary>
internal static class SettingsCheck
{
    public static void Validate(CompressionSettings s, string sourcePath)
    {
        if (s.Quantize == QuantizationType.None && s.Mode != QuantizationMode.Default)
        {
            throw Invalid(sourcePath, $"Mode={s.Mode} needs a Quantize type.", "Set Quantize (Int8, UInt8, Int4, UInt4, Float16, BFloat16) or remove Mode.");
        }

        IReadOnlyList<QuantizationMode> modes = SettingsSchema.ModesFor(s.Quantize);
        if (s.Quantize != QuantizationType.None && !modes.Contains(s.EffectiveMode))
        {
            if (SettingsSchema.IsFourBit(s.Quantize))
            {
                throw new CompressionException(
                    DiagnosticCodes.FourBitModeUnsupported,
                    $"Quantize={s.Quantize} supports only Mode=WeightOnly, not Mode={s.Mode}.",
                    sourcePath,
                    "Remove Mode (4-bit defaults to WeightOnly), or use Quantize=Int8/UInt8 for Dynamic or Static quantization.");
            }

            throw Invalid(sourcePath, $"Quantize={s.Quantize} cannot be applied with Mode={s.Mode}.",
                $"Use Mode={string.Join(" or ", modes)} with Quantize={s.Quantize}, or leave Mode at its default ({modes[0]}).");
        }

        if (!SettingsSchema.Sparsity.IsValid(s.Sparsity))
        {
            throw Invalid(sourcePath, string.Create(CultureInfo.InvariantCulture, $"Sparsity={s.Sparsity} is outside 0..0.99."), "Give the fraction of weights to remove, for example 0.5.");
        }

        if (!SettingsSchema.BlockSize.IsValid(s.BlockSize))
        {
            throw Invalid(sourcePath, string.Create(CultureInfo.InvariantCulture, $"BlockSize={s.BlockSize} is not {SettingsSchema.BlockSize.Expected}."), "Use 16, 32, 64, 128...");
        }

        if (SettingsSchema.IsFourBit(s.Quantize) && !SettingsSchema.AccuracyLevel.IsValid(s.AccuracyLevel))
        {
            throw new CompressionException(DiagnosticCodes.InvalidAccuracyLevel, string.Create(CultureInfo.InvariantCulture, $"AccuracyLevel={s.AccuracyLevel} is not {SettingsSchema.AccuracyLevel.Expected}."), sourcePath,
                "Use 4 (the default, fastest on CPU) or 0/1 to keep the activations in float32.");
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
