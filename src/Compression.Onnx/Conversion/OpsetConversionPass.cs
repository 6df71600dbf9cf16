using System.Globalization;
using Compression.Onnx.Passes;

namespace Compression.Onnx.Conversion;

/// <summary>The <c>TargetOpset</c> stage: runs first, so the compression passes choose their forms from the converted opset.</summary>
internal sealed class OpsetConversionPass : ICompressionPass
{
    public CompressionStep Step => CompressionStep.ConvertOpset;

    public bool Supports(CompressionSettings settings) => settings.TargetOpset is not null;

    public void Apply(CompressionContext context, CancellationToken cancellationToken)
    {
        OpsetConversion result = OpsetConverter.Convert(context.Model, context.Settings.TargetOpset!.Value, context.SourcePath);
        context.Summary.Add(result.ToString());
        context.Metadata[ModelCompressor.MetadataPrefix + "source_opset"] = result.SourceOpset.ToString(CultureInfo.InvariantCulture);
        context.Metadata[ModelCompressor.MetadataPrefix + "target_opset"] = result.TargetOpset.ToString(CultureInfo.InvariantCulture);
    }
}
