// Voice activity detection with Silero VAD v5, compressed to Int8 at build time by Compression.Build
// (see VoiceActivity.csproj) and run through the generated, strongly typed SileroVadV5 class.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using VoiceActivity;

const int SampleRate = 16000;
const int WindowSamples = 512;   // 32 ms, the window Silero VAD v5 expects at 16 kHz
const int ContextSamples = 64;   // v5 sees the last 64 samples of the previous window too
const double WindowSeconds = (double)WindowSamples / SampleRate;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.OutputEncoding = Encoding.UTF8;

string audioPath = Path.Combine(AppContext.BaseDirectory, "audio", "speech.wav");
float[] audio = WaveFile.ReadMono16Bit(audioPath, SampleRate);

// ONNX Runtime logs a warning for every constant it folds away at load (for example each 8-bit weight it
// turns back into a float weight once); keep the console for results.
using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { LogSeverityLevel = Microsoft.ML.OnnxRuntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
using var compressed = new SileroVadV5(options);
using var original = new SileroVadV5Original(options);

var clock = Stopwatch.StartNew();
float[] speech = Detect(audio, (input, state) =>
{
    var result = compressed.Run(input, state, SampleRate, inputShape: [1, input.Length]);
    return (result.Output[0], result.StateN);
});
TimeSpan compressedTime = clock.Elapsed;

clock.Restart();
float[] reference = Detect(audio, (input, state) =>
{
    var result = original.Run(input, state, SampleRate, inputShape: [1, input.Length]);
    return (result.Output[0], result.StateN);
});
TimeSpan originalTime = clock.Elapsed;

Console.WriteLine($"Silero VAD v5 through the generated {nameof(SileroVadV5)} class ({SileroVadV5.Description.Summary})");
Console.WriteLine($"audio: {Path.GetFileName(audioPath)}, {audio.Length / (double)SampleRate:F2} s, {speech.Length} windows of {WindowSeconds * 1000:F0} ms");
Console.WriteLine();
Console.WriteLine("speech probability per window (compressed model; ' ' = 0 ... '█' = 1):");
PrintTimeline(speech);
Console.WriteLine();

Console.WriteLine("speech segments (threshold 0.5):");
foreach (SpeechSegment segment in SpeechSegments.Find(speech, WindowSeconds))
{
    Console.WriteLine($"  {segment.Start,6:F2} s - {segment.End,6:F2} s  ({segment.End - segment.Start:F2} s)");
}

Console.WriteLine();
long originalBytes = new FileInfo(Path.Combine(AppContext.BaseDirectory, SileroVadV5Original.Description.ModelPath)).Length;
long compressedBytes = new FileInfo(Path.Combine(AppContext.BaseDirectory, SileroVadV5.Description.ModelPath)).Length;
Console.WriteLine($"model size: {originalBytes / 1e6:F2} MB original -> {compressedBytes / 1e6:F2} MB compressed ({100.0 * compressedBytes / originalBytes:F0}%)");

double sumAbs = 0, maxAbs = 0;
int agree = 0;
for (int i = 0; i < speech.Length; i++)
{
    double d = Math.Abs(speech[i] - reference[i]);
    sumAbs += d;
    maxAbs = Math.Max(maxAbs, d);
    agree += (speech[i] >= 0.5f) == (reference[i] >= 0.5f) ? 1 : 0;
}

Console.WriteLine($"agreement with the original over {speech.Length} windows: mean |d| {sumAbs / speech.Length:F4}, max |d| {maxAbs:F4}, speech decisions equal on {100.0 * agree / speech.Length:F1}%");
Console.WriteLine($"time: compressed {compressedTime.TotalMilliseconds:F0} ms, original {originalTime.TotalMilliseconds:F0} ms (one thread of calls, state carried window to window)");

// Runs the model window by window over the whole clip, carrying the recurrent state, the way a
// streaming application does; returns one speech probability per 32 ms window.
static float[] Detect(float[] audio, Func<float[], float[], (float Probability, float[] State)> step)
{
    int windows = audio.Length / WindowSamples;
    var probabilities = new float[windows];
    var input = new float[ContextSamples + WindowSamples];
    float[] state = new float[2 * 1 * 128];
    for (int w = 0; w < windows; w++)
    {
        // Shift the last 64 samples of the previous window to the front as context.
        Array.Copy(input, WindowSamples, input, 0, ContextSamples);
        Array.Copy(audio, w * WindowSamples, input, ContextSamples, WindowSamples);
        (probabilities[w], state) = step(input, state);
    }

    return probabilities;
}

static void PrintTimeline(float[] probabilities)
{
    const string Levels = " ▁▂▃▄▅▆▇█";
    const int PerLine = 64;
    for (int start = 0; start < probabilities.Length; start += PerLine)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{start * WindowSeconds,6:F2} s |");
        for (int i = start; i < Math.Min(start + PerLine, probabilities.Length); i++)
        {
            int level = (int)Math.Round(Math.Clamp(probabilities[i], 0f, 1f) * (Levels.Length - 1));
            line.Append(Levels[level]);
        }

        Console.WriteLine(line.Append('|'));
    }
}
