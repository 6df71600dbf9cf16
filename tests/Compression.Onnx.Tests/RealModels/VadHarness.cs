using Compression.Onnx.Tests.Pipeline;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Onnx.Tests.RealModels;

/// <summary>Runs Silero VAD v5 over the committed speech file window by window (512 samples at 16 kHz), carrying the state like a real caller.</summary>
internal static class VadHarness
{
    public const int Window = 512;

    private static readonly Lazy<float[]> Audio = new(() => ReadWav16(PassTestFiles.Data("audio", "speech_16k_mono.wav")));

    public static float[] Samples => Audio.Value;

    public static float[] SpeechProbabilities(string modelPath) => SpeechProbabilities(modelPath, Samples);

    public static float[] SpeechProbabilities(string modelPath, float[] audio)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        int windows = audio.Length / Window;
        var result = new float[windows];
        var state = new float[2 * 128];
        var window = new float[Window];
        long[] sr = [16000];
        using var srValue = OrtValue.CreateTensorValueFromMemory(sr, []);
        using var runOptions = new RunOptions();
        for (int w = 0; w < windows; w++)
        {
            Array.Copy(audio, w * Window, window, 0, Window);
            using var input = OrtValue.CreateTensorValueFromMemory(window, [1, Window]);
            using var stateValue = OrtValue.CreateTensorValueFromMemory(state, [2, 1, 128]);
            using var outputs = session.Run(runOptions, ["input", "state", "sr"], [input, stateValue, srValue], ["output", "stateN"]);
            result[w] = outputs[0].GetTensorDataAsSpan<float>()[0];
            outputs[1].GetTensorDataAsSpan<float>().CopyTo(state);
        }

        return result;
    }

    /// <summary>Reads a 16-bit PCM mono WAV as floats in [-1, 1).</summary>
    public static float[] ReadWav16(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int at = 12;
        while (at + 8 <= bytes.Length)
        {
            string id = System.Text.Encoding.ASCII.GetString(bytes, at, 4);
            int size = BitConverter.ToInt32(bytes, at + 4);
            if (id == "data")
            {
                int count = Math.Min(size, bytes.Length - at - 8) / 2;
                var samples = new float[count];
                for (int i = 0; i < count; i++) samples[i] = BitConverter.ToInt16(bytes, at + 8 + 2 * i) / 32768f;
                return samples;
            }

            at += 8 + size + (size & 1);
        }

        throw new InvalidDataException("No data chunk in " + path);
    }
}
