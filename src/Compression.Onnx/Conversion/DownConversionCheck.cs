using System.Globalization;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Onnx.Conversion;

/// <summary>
/// ONNX Runtime's own check of a model converted to an older opset. Going down, a node may use an element type or an
/// attribute value its older schema does not allow (ONNX widened types and ranges at many opsets: integer Pow at 12,
/// uint8 arithmetic at 14, float Equal at 11, negative Flatten axes at 11...). The converter moves attributes and
/// inputs but infers no types, so it asks ONNX Runtime's type checker, and a model it rejects is refused (CMP4705)
/// instead of written. Going up never narrows a schema (the corpus sweep: 0 of 13,374 up-conversions rejected).
/// </summary>
internal static class DownConversionCheck
{
    /// <summary>CMP4705 when ONNX Runtime does not load <paramref name="model"/>.</summary>
    /// <remarks>
    /// Models with external data are not checked here (they are the large ones, and the in-memory copy would double
    /// their memory): the build's validation, on by default, loads the written file and fails with CMP4011 instead.
    /// </remarks>
    public static void EnsureLoads(OnnxModel model, int source, int target, string? filePath)
    {
        if (ModelTensors.Collect(model.Proto, filePath).Any(TensorData.IsExternal)) return;
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            model.WriteTo(buffer);
            bytes = buffer.ToArray();
        }

        try
        {
            using var session = new InferenceSession(bytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            string cause = e.Message.Split('\n')[0].Trim();
            throw new CompressionException(
                DiagnosticCodes.ConvertedModelRejected,
                string.Create(CultureInfo.InvariantCulture, $"The model converted from opset {source} down to opset {target} does not load in ONNX Runtime: {(cause.Length > 300 ? cause[..300] + "..." : cause)}"),
                filePath,
                "A node uses an element type or attribute value that its schema at the target does not allow yet (ONNX widened many types at opsets 11 to 14): choose a higher TargetOpset or keep the model's own.",
                e);
        }
    }
}
