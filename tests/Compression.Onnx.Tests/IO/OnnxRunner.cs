using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Onnx.Tests.IO;

/// <summary>Runs a model file in ONNX Runtime and returns the float outputs.</summary>
internal static class OnnxRunner
{
    public static float[][] Run(string modelPath, params NamedOnnxValue[] inputs)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(modelPath, options);
        using var results = session.Run(inputs);
        return results.Select(r => r.AsEnumerable<float>().ToArray()).ToArray();
    }

    public static NamedOnnxValue Float(string name, float[] data, params int[] dims) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data, dims));

    public static NamedOnnxValue Int64(string name, long[] data, params int[] dims) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(data, dims));

    /// <summary>Silero VAD on a fixed pseudo-random 512-sample window at 16 kHz.</summary>
    public static float[][] RunSilero(string modelPath)
    {
        var random = new Random(7);
        float[] window = Enumerable.Range(0, 512).Select(_ => (float)((random.NextDouble() * 2) - 1) * 0.5f).ToArray();
        return Run(modelPath, Float("input", window, 1, 512), Float("state", new float[256], 2, 1, 128), Int64("sr", [16000]));
    }

    /// <summary>The PaddleOCR classifier on a fixed pseudo-random 1x3x48x192 image.</summary>
    public static float[][] RunPpOcr(string modelPath)
    {
        var random = new Random(11);
        float[] image = Enumerable.Range(0, 3 * 48 * 192).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        return Run(modelPath, Float("x", image, 1, 3, 48, 192));
    }
}
