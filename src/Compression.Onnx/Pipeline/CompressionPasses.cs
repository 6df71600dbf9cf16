using Compression.Onnx.Quantization;

namespace Compression.Onnx.Pipeline;

/// <summary>The registry of passes. The first pass of a stage that supports the settings runs; order matters only within a stage.</summary>
internal static class CompressionPasses
{
    public static IReadOnlyList<ICompressionPass> All { get; } =
    [
        new Conversion.OpsetConversionPass(),
        new Pruning.PruningPass(),
        new EightBitQuantizationPass(),
        new Static.StaticQuantizationPass(),
        new Float16WeightPass(),
        new Float16FullPass(),
        new FourBit.FourBitQuantizationPass(),
        new Conversion.OrtFormatPass(),
    ];

    /// <summary>The stages <paramref name="settings"/> ask for, in pipeline order.</summary>
    public static IEnumerable<CompressionStep> Requested(CompressionSettings settings, int modelOpset)
    {
        if (settings.TargetOpset is int target && target != modelOpset) yield return CompressionStep.ConvertOpset;
        if (settings.Sparsity > 0) yield return CompressionStep.Prune;
        if (settings.Quantize != QuantizationType.None) yield return CompressionStep.Quantize;
        if (settings.Optimize != OptimizationLevel.None) yield return CompressionStep.Optimize;
        if (settings.Format != ModelFormat.Onnx) yield return CompressionStep.WriteFormat;
    }
}
