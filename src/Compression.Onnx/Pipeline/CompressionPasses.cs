using System.Globalization;
using Compression.Onnx.Conversion;
using Compression.Onnx.FourBit;
using Compression.Onnx.Graph;
using Compression.Onnx.Passes;
using Compression.Onnx.Pruning;
using Compression.Onnx.Quantization;
using Compression.Onnx.SixteenBit;
using Compression.Onnx.Static;
using Onnx;

namespace Compression.Onnx.Pipeline;

/// <summary>
/// The registry of passes, one or more per stage (<see cref="CompressionStep"/>): the first pass of a stage that supports
/// the settings runs. A new stage or a new way to do one (an <c>Optimize</c> pass with fusions, say) is one more entry
/// here; the passes themselves are lists of rewrites (<see cref="RewritePass"/>).
/// </summary>
internal static class CompressionPasses
{
    public static IReadOnlyList<ICompressionPass> All { get; } =
    [
        new OpsetConversionPass(),
        new PruningPass(),
        new EightBitQuantizationPass(),
        new StaticQuantizationPass(),
        new Float16WeightPass(),
        new Float16FullPass(),
        new FourBitQuantizationPass(),
        new OrtFormatPass(),
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

    /// <summary>The stage's name in the settings' words, as <see cref="CompressionProgress.Stage"/> reports it.</summary>
    public static string StageName(CompressionStep step) => step switch
    {
        CompressionStep.ConvertOpset => "TargetOpset",
        CompressionStep.Prune => "Pruning",
        CompressionStep.Quantize => "Quantize",
        CompressionStep.Optimize => "Optimize",
        _ => "Format",
    };

    /// <summary>One pass per requested stage; a stage nobody implements is CMP4001 naming the setting.</summary>
    public static List<ICompressionPass> Plan(CompressionSettings settings, ModelProto model, string sourcePath)
    {
        var passes = new List<ICompressionPass>();
        if (settings.AutoFallback)
        {
            throw new CompressionException(DiagnosticCodes.UnsupportedSetting, "AutoFallback=true is not supported by this version of the compressor.", sourcePath,
                "Remove AutoFallback and keep sensitive nodes in float with ExcludeNodes/ExcludeOps; Tolerance still fails the build when the deviation is too large.");
        }

        foreach (var step in Requested(settings, Opsets.DefaultDomainVersion(model)))
        {
            var pass = All.FirstOrDefault(p => p.Step == step && p.Supports(settings));
            if (pass is null)
            {
                string what = step switch
                {
                    CompressionStep.ConvertOpset => $"TargetOpset={settings.TargetOpset}",
                    CompressionStep.Prune => string.Create(CultureInfo.InvariantCulture, $"Sparsity={settings.Sparsity} with Pruning={settings.Pruning}"),
                    CompressionStep.Quantize => $"Quantize={settings.Quantize} with Mode={settings.EffectiveMode}",
                    CompressionStep.Optimize => $"Optimize={settings.Optimize}",
                    _ => $"Format={settings.Format}",
                };
                throw new CompressionException(DiagnosticCodes.UnsupportedSetting, $"{what} is not supported by this version of the compressor.", sourcePath,
                    "Supported today: Quantize=Int8/UInt8 with Mode=Dynamic or WeightOnly, Quantize=Float16/BFloat16 with Mode=WeightOnly or Full. Remove the setting or update Compression.Build.");
            }

            passes.Add(pass);
        }

        return passes;
    }
}
