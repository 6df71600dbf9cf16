using System.Globalization;
using Compression.Onnx.Passes;
using Compression.Onnx.Quantization;

namespace Compression.Onnx.FourBit;

/// <summary>
/// The pipeline's Quantize stage for <c>Quantize="Int4"</c>/<c>"UInt4"</c> (<c>Mode="WeightOnly"</c>, the default): the
/// 4-bit forms (<see cref="FourBitQuantizer"/>) for every weight 4 bits can hold, then simply the next rewrite, the 8-bit
/// weight-only quantization (Int4 -> int8 symmetric, UInt4 -> uint8), for the weights they left unclaimed (Conv/LSTM
/// weights of models below opset 21).
/// </summary>
internal sealed class FourBitQuantizationPass : RewritePass
{
    public override CompressionStep Step => CompressionStep.Quantize;

    public override bool Supports(CompressionSettings settings) => settings.Quantize is QuantizationType.Int4 or QuantizationType.UInt4;

    public override IReadOnlyList<IRewrite> Rewrites(CompressionSettings settings) =>
        [new FourBitWeights(), new WeightOnlyQuantization(settings.Quantize == QuantizationType.Int4 ? QuantizationType.Int8 : QuantizationType.UInt8)];

    protected override void Report(RewriteContext context)
    {
        // SettingsCheck already rejected modes other than WeightOnly (SettingsSchema.ModesFor).
        var options = FourBitOptions.From(context.Settings);
        var report = context.Result<FourBitReport>();
        int eightBit = context.Count(WeightOnlyQuantization.Dequantized);
        string summary = report.Summary(options);
        if (report.EightBitCandidates.Count > 0)
        {
            summary += string.Create(CultureInfo.InvariantCulture, $"; {eightBit} of them stored as 8-bit weight-only");
        }

        context.Pass.Summary.Add(summary);
        context.Pass.Notes.AddRange(report.Notes);
        string prefix = ModelCompressor.MetadataPrefix;
        var metadata = context.Pass.Metadata;
        metadata[prefix + "block_size"] = options.BlockSize.ToString(CultureInfo.InvariantCulture);
        metadata[prefix + "accuracy_level"] = options.AccuracyLevel.ToString(CultureInfo.InvariantCulture);
        metadata[prefix + "scale_search"] = options.SearchScales ? "clip" : "none";
        metadata[prefix + "weights_4bit"] = (report.MatMulNBitsWeights + report.GatherBlockQuantizedWeights + report.BlockedFourBitWeights).ToString(CultureInfo.InvariantCulture);
        metadata[prefix + "weights_8bit"] = eightBit.ToString(CultureInfo.InvariantCulture);
        metadata[prefix + "weights_float"] = report.FloatWeights.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The 4-bit rewrite: runs <see cref="FourBitQuantizer"/> on the pass's graph and hands its report to <see cref="Report"/>.</summary>
    private sealed class FourBitWeights : IRewrite
    {
        public bool CountsWeights => true;

        public void Apply(RewriteContext context, CancellationToken cancellationToken)
        {
            FourBitReport report;
            try
            {
                report = new FourBitQuantizer(FourBitOptions.From(context.Settings)).Quantize(context.Graph, context.Claim, context.WeightsDone, cancellationToken);
            }
            catch (CompressionException e) when (e.FilePath is null)
            {
                throw new CompressionException(e.Code, e.Message, context.SourcePath, e.Help, e);
            }

            context.SetResult(report);
        }
    }
}
