using System.Globalization;
using Compression.Onnx.Pipeline;
using Compression.Onnx.Quantization;

namespace Compression.Onnx.FourBit;

/// <summary>
/// The pipeline's Quantize stage for <c>Quantize="Int4"</c>/<c>"UInt4"</c> (<c>Mode="WeightOnly"</c>, the default):
/// <see cref="FourBitQuantizer"/> for every weight 4 bits can hold, then the 8-bit weight-only pass
/// (<see cref="WeightOnlyQuantizer"/>: Int4 -> int8 symmetric, UInt4 -> uint8) for the weights it left as
/// <see cref="FourBitReport.EightBitCandidates"/> (Conv/LSTM weights of models below opset 21).
/// </summary>
internal sealed class FourBitQuantizationPass : ICompressionPass
{
    public CompressionStep Step => CompressionStep.Quantize;

    public bool Supports(CompressionSettings settings) => settings.Quantize is QuantizationType.Int4 or QuantizationType.UInt4;

    public void Apply(CompressionContext context, CancellationToken cancellationToken)
    {
        // SettingsCheck already rejected modes other than WeightOnly (SettingsSchema.ModesFor).
        CompressionSettings settings = context.Settings;
        var options = FourBitOptions.From(settings);

        FourBitReport report;
        try
        {
            report = new FourBitQuantizer(options).Quantize(context.Model, context.WeightsDone(), cancellationToken);
        }
        catch (CompressionException e) when (e.FilePath is null)
        {
            throw new CompressionException(e.Code, e.Message, context.SourcePath, e.Help, e);
        }

        int eightBit = 0;
        if (report.EightBitCandidates.Count > 0)
        {
            var index = ModelGraphIndex.Build(context.Model);
            var wanted = new HashSet<string>(report.EightBitCandidates, StringComparer.Ordinal);
            var skip = new HashSet<string>(index.Constants.Keys.Where(name => !wanted.Contains(name)), StringComparer.Ordinal);
            var eightBitSettings = settings with
            {
                Quantize = settings.Quantize == QuantizationType.Int4 ? QuantizationType.Int8 : QuantizationType.UInt8,
                Mode = QuantizationMode.WeightOnly,
            };
            eightBit = WeightOnlyQuantizer.Run(index, eightBitSettings, skip, cancellationToken);
        }

        string summary = report.Summary(options);
        if (report.EightBitCandidates.Count > 0)
        {
            summary += string.Create(CultureInfo.InvariantCulture, $"; {eightBit} of them stored as 8-bit weight-only");
        }

        context.Summary.Add(summary);
        context.Notes.AddRange(report.Notes);
        string prefix = ModelCompressor.MetadataPrefix;
        context.Metadata[prefix + "block_size"] = options.BlockSize.ToString(CultureInfo.InvariantCulture);
        context.Metadata[prefix + "accuracy_level"] = options.AccuracyLevel.ToString(CultureInfo.InvariantCulture);
        context.Metadata[prefix + "scale_search"] = options.SearchScales ? "clip" : "none";
        context.Metadata[prefix + "weights_4bit"] = (report.MatMulNBitsWeights + report.GatherBlockQuantizedWeights + report.BlockedFourBitWeights).ToString(CultureInfo.InvariantCulture);
        context.Metadata[prefix + "weights_8bit"] = eightBit.ToString(CultureInfo.InvariantCulture);
        context.Metadata[prefix + "weights_float"] = report.FloatWeights.ToString(CultureInfo.InvariantCulture);
    }
}
