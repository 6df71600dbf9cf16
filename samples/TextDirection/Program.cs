// Text direction (0 or 180 degrees) with the PaddleOCR classifier, compressed at build time by
// Compression.Build to Int8 and to Float16 (see TextDirection.csproj), both run through generated
// classes next to the original.
using System.Diagnostics;
using System.Globalization;
using TextDirection;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
const int Height = 48, Width = 192;
long[] shape = [1, 3, Height, Width];

using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { LogSeverityLevel = Microsoft.ML.OnnxRuntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
using var int8 = new TextDirectionInt8(options);
using var float16 = new TextDirectionFloat16(options);
using var original = new TextDirectionOriginal(options);

var models = new (string Name, Func<float[], float[]> Classify, string ModelPath)[]
{
    ("original", x => original.Run(x, shape).Softmax0Tmp0, TextDirectionOriginal.Description.ModelPath),
    ("Int8", x => int8.Run(x, shape).Softmax0Tmp0, TextDirectionInt8.Description.ModelPath),
    ("Float16", x => float16.Run(x, shape).Softmax0Tmp0, TextDirectionFloat16.Description.ModelPath),
};

Console.WriteLine("PaddleOCR text direction classifier, compressed at build time, run through generated classes");
Console.WriteLine();
Console.WriteLine($"{"image",-22}{"truth",-7}" + string.Concat(models.Select(m => $"{m.Name,-16}")));

string[] files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "images"), "*.pgm");
Array.Sort(files, StringComparer.Ordinal);
int total = 0;
var correctPerModel = new int[models.Length];
foreach (string file in files)
{
    GrayImage upright = GrayImage.ReadPgm(file);
    foreach ((GrayImage image, string truth) in new[] { (upright, "0°"), (upright.Rotated180(), "180°") })
    {
        float[] input = image.ToClassifierInput();
        var row = $"{Path.GetFileNameWithoutExtension(file) + (truth == "0°" ? " upright" : " rotated"),-22}{truth,-7}";
        for (int m = 0; m < models.Length; m++)
        {
            float[] p = models[m].Classify(input);
            string label = p[0] >= p[1] ? "0°" : "180°";
            correctPerModel[m] += label == truth ? 1 : 0;
            row += $"{label} ({Math.Max(p[0], p[1]):F3})".PadRight(16);
        }

        Console.WriteLine(row);
        total++;
    }
}

Console.WriteLine();
Console.WriteLine($"{"correct",-29}" + string.Concat(correctPerModel.Select(c => $"{c}/{total}".PadRight(16))));

// Agreement with the original on seeded random inputs in [-1, 1], as the build's validation does.
const int Samples = 200;
var random = new Random(20261126);
var agree = new int[models.Length];
var maxDiff = new double[models.Length];
var elapsed = new TimeSpan[models.Length];
for (int s = 0; s < Samples; s++)
{
    float[] input = new float[3 * Height * Width];
    for (int i = 0; i < input.Length; i++)
    {
        input[i] = (float)((random.NextDouble() * 2) - 1);
    }

    float[]? reference = null;
    for (int m = 0; m < models.Length; m++)
    {
        long start = Stopwatch.GetTimestamp();
        float[] p = models[m].Classify(input);
        elapsed[m] += Stopwatch.GetElapsedTime(start);
        reference ??= p;
        agree[m] += (p[0] >= p[1]) == (reference[0] >= reference[1]) ? 1 : 0;
        maxDiff[m] = Math.Max(maxDiff[m], Math.Max(Math.Abs(p[0] - reference[0]), Math.Abs(p[1] - reference[1])));
    }
}

Console.WriteLine($"{$"agree, {Samples} noise inputs",-29}" + string.Concat(agree.Select(a => $"{100.0 * a / Samples:F1}%".PadRight(16))));
Console.WriteLine($"{"max |d| probability",-29}" + string.Concat(maxDiff.Select(d => $"{d:F4}".PadRight(16))));
Console.WriteLine($"{"mean latency",-29}" + string.Concat(elapsed.Select(t => $"{t.TotalMilliseconds / Samples:F2} ms".PadRight(16))));
Console.WriteLine($"{"model size",-29}" + string.Concat(models.Select(m => $"{new FileInfo(Path.Combine(AppContext.BaseDirectory, m.ModelPath)).Length / 1024.0:F0} KB".PadRight(16))));
