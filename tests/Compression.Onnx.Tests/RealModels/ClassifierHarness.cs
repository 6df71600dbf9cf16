using Compression.Onnx.Tests.Pipeline;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Onnx.Tests.RealModels;

/// <summary>
/// Inputs for the PaddleOCR text-direction classifier ([N, 3, 48, 192], values in [-1, 1]): seeded uniform images
/// and the committed stroke images (tests/data/images), normalised the way PaddleOCR does ((x/255 − 0.5)/0.5).
/// </summary>
internal static class ClassifierHarness
{
    public const int Height = 48;
    public const int Width = 192;
    private const int Pixels = 3 * Height * Width;

    /// <summary>500 seeded inputs: uniform noise, smoothed noise and the stroke images with seeded noise added.</summary>
    public static float[] SeededInputs(int count, int seed)
    {
        var random = new Random(seed);
        var strokes = StrokeImages();
        var data = new float[count * Pixels];
        for (int n = 0; n < count; n++)
        {
            var image = data.AsSpan(n * Pixels, Pixels);
            switch (n % 3)
            {
                case 0:
                    for (int i = 0; i < Pixels; i++) image[i] = (float)(random.NextDouble() * 2 - 1);
                    break;
                case 1:
                    // Low-frequency blobs: uniform values on a coarse 6x24 grid, upsampled.
                    var coarse = new float[3 * 8 * 8];
                    for (int i = 0; i < coarse.Length; i++) coarse[i] = (float)(random.NextDouble() * 2 - 1);
                    for (int c = 0; c < 3; c++)
                        for (int y = 0; y < Height; y++)
                            for (int x = 0; x < Width; x++) image[(c * Height + y) * Width + x] = coarse[(c * 8 + y / 6) * 8 + x / 24];
                    break;
                default:
                    var source = strokes[random.Next(strokes.Count)];
                    for (int i = 0; i < Pixels; i++) image[i] = Math.Clamp(source[i] + (float)(random.NextDouble() - 0.5) * 0.2f, -1f, 1f);
                    break;
            }
        }

        return data;
    }

    /// <summary>The committed stroke images as [3, 48, 192] inputs (grey replicated to three channels).</summary>
    public static List<float[]> StrokeImages()
    {
        var images = new List<float[]>();
        foreach (string file in Directory.GetFiles(PassTestFiles.Data("images"), "*.pgm").Order(StringComparer.Ordinal))
        {
            byte[] bytes = File.ReadAllBytes(file);
            int header = bytes.Length - Height * Width;
            var image = new float[Pixels];
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < Height * Width; i++) image[c * Height * Width + i] = (bytes[header + i] / 255f - 0.5f) / 0.5f;
            images.Add(image);
        }

        return images;
    }

    /// <summary>Probabilities [N, 2] for the inputs, run in batches.</summary>
    public static float[] Probabilities(string modelPath, float[] inputs, int batch = 50)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        string inputName = session.InputNames[0];
        int count = inputs.Length / Pixels;
        var result = new float[count * 2];
        using var runOptions = new RunOptions();
        for (int start = 0; start < count; start += batch)
        {
            int n = Math.Min(batch, count - start);
            var slice = inputs.AsSpan(start * Pixels, n * Pixels).ToArray();
            using var input = OrtValue.CreateTensorValueFromMemory(slice, [n, 3, Height, Width]);
            using var outputs = session.Run(runOptions, [inputName], [input], session.OutputNames);
            outputs[0].GetTensorDataAsSpan<float>().CopyTo(result.AsSpan(start * 2, n * 2));
        }

        return result;
    }
}
