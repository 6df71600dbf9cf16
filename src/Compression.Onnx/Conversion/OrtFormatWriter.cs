using Compression.Onnx.Passes;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Onnx.Conversion;

/// <summary>
/// Writes ONNX Runtime's own flatbuffer model format (<c>.ort</c>) by letting ONNX Runtime load the ONNX model and save
/// it (<c>session.save_model_format=ORT</c> on an optimized-model save). The file is tied to ONNX Runtime: an
/// <c>.ort</c> file loads in the ONNX Runtime version that wrote it (1.31) and in later ones, not in older ones, and
/// other runtimes cannot read it.
/// </summary>
internal static class OrtFormatWriter
{
    /// <summary>Converts <paramref name="onnxPath"/> into <paramref name="ortPath"/>.</summary>
    /// <remarks>
    /// Graph optimisations are off: ONNX Runtime's basic level folds constants, which would turn weight-only
    /// dequantization (Cast + Mul of stored 8-bit weights) back into float32 tensors and undo the compression (measured:
    /// 1.1-4x the .onnx size). ONNX Runtime does not optimise an ORT-format model at load as it does an ONNX one, so the
    /// file runs as written, 1.6-2.2x slower than the .onnx on the evidence models: the format is for ORT's minimal
    /// builds and a faster session start (docs/reports/conversion.md).
    /// </remarks>
    public static void Write(string onnxPath, string ortPath, string sourcePath)
    {
        try
        {
            using var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
                OptimizedModelFilePath = ortPath,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            };
            options.AddSessionConfigEntry("session.save_model_format", "ORT");
            using var session = new InferenceSession(onnxPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            if (File.Exists(ortPath)) File.Delete(ortPath);
            throw new CompressionException(DiagnosticCodes.OrtFormatFailed, "ONNX Runtime could not write the model in ORT format: " + e.Message.Split('\n')[0], sourcePath,
                "The ORT format holds what ONNX Runtime's CPU provider can load; check that the compressed model loads, or use Format=Onnx.", e);
        }
    }
}

/// <summary>The <c>Format=Ort</c> stage: records the format; <see cref="ModelCompressor"/> writes the file after the ONNX save.</summary>
internal sealed class OrtFormatPass : ICompressionPass
{
    public CompressionStep Step => CompressionStep.WriteFormat;

    public bool Supports(CompressionSettings settings) => settings.Format == ModelFormat.Ort;

    public void Apply(CompressionContext context, CancellationToken cancellationToken)
    {
        context.Summary.Add("ORT format");
        context.Metadata[ModelCompressor.MetadataPrefix + "format"] = "ORT";
    }
}
