using Microsoft.ML.OnnxRuntime;

namespace Compression.Benchmarks.Quantization;

/// <summary>
/// Seeded inputs for the models of <see cref="WeightRangeBenchmarks"/> (one batch-1 call each), and the accuracy of
/// a compressed model against its source on a longer seeded run of the same kind.
/// </summary>
internal sealed class RealModelInputs : IDisposable
{
    private RealModelInputs(string[] names, OrtValue[] values)
    {
        Names = names;
        Values = values;
    }

    public string[] Names { get; }

    public OrtValue[] Values { get; }

    public static string RepositoryModel(string file)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string path = Path.Combine(directory.FullName, "tests", "data", "models", file);
            if (File.Exists(path)) return path;
        }

        throw new FileNotFoundException("Run the benchmark from inside the repository: tests/data/models/" + file + " not found.");
    }

    public static RealModelInputs For(string model, InferenceSession session)
    {
        var values = model switch
        {
            "worstcase512" => new[] { OrtValue.CreateTensorValueFromMemory(LargePositive(512, 1), [1, 512]) },
            "mlp4x4096" => [OrtValue.CreateTensorValueFromMemory(Uniform(4096, 1), [1, 4096])],
            "ppocr_cls" => [OrtValue.CreateTensorValueFromMemory(Uniform(3 * 48 * 192, 1), [1, 3, 48, 192])],
            _ => VadInputs(Window(0), new float[2 * 128]),
        };
        return new RealModelInputs([.. session.InputNames], values);
    }

    /// <summary>
    /// Cosine and max |d| of the first output of <paramref name="compressed"/> against <paramref name="source"/>:
    /// 16 MLP rows and 16 PaddleOCR images (uniform in [-1, 1], the models' input range), 16 worst-case rows of large
    /// positive values (2.5 to 5.5), or 200 Silero VAD windows of
    /// tone bursts in noise with each model carrying its own state, as an app does.
    /// </summary>
    public static (double Cosine, double MaxAbs, int Count) Compare(string model, string source, string compressed)
    {
        using var want = new InferenceSession(source);
        using var got = new InferenceSession(compressed);
        var a = new List<float>();
        var b = new List<float>();
        if (model == "silero_vad")
        {
            float[] stateA = new float[2 * 128], stateB = new float[2 * 128];
            for (int w = 0; w < 200; w++)
            {
                float[] window = Window(w);
                stateA = RunVad(want, window, stateA, a);
                stateB = RunVad(got, window, stateB, b);
            }
        }
        else
        {
            (int size, long[] shape) = model switch
            {
                "worstcase512" => (512, new long[] { 1, 512 }),
                "mlp4x4096" => (4096, [1, 4096]),
                _ => (3 * 48 * 192, [1, 3, 48, 192]),
            };
            for (int i = 0; i < 16; i++)
            {
                float[] x = model == "worstcase512" ? LargePositive(size, 100 + i) : Uniform(size, 100 + i);
                a.AddRange(RunFirst(want, x, shape));
                b.AddRange(RunFirst(got, x, shape));
            }
        }

        double dot = 0, na = 0, nb = 0, maxAbs = 0;
        for (int i = 0; i < a.Count; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
            maxAbs = Math.Max(maxAbs, Math.Abs(a[i] - b[i]));
        }

        return (dot / Math.Sqrt(na * nb), maxAbs, a.Count);
    }

    public void Dispose()
    {
        foreach (var v in Values) v.Dispose();
    }

    private static float[] Uniform(int count, int seed)
    {
        var random = new Random(seed);
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        return x;
    }

    private static float[] LargePositive(int count, int seed) => [.. Uniform(count, seed).Select(v => 4f + 1.5f * v)];

    /// <summary>512 samples at 16 kHz: a tone burst every other 8 windows, over noise, with varying loudness.</summary>
    private static float[] Window(int index)
    {
        var random = new Random(1000 + index);
        bool tone = index / 8 % 2 == 1;
        float loudness = 0.05f + 0.4f * (index % 5) / 4f;
        var x = new float[512];
        for (int i = 0; i < x.Length; i++)
        {
            double t = (index * 512 + i) / 16000.0;
            double voice = tone ? Math.Sin(2 * Math.PI * 220 * t) + 0.5 * Math.Sin(2 * Math.PI * 440 * t) : 0;
            x[i] = (float)(loudness * (voice + 0.3 * (random.NextDouble() * 2 - 1)));
        }

        return x;
    }

    private static OrtValue[] VadInputs(float[] window, float[] state) =>
    [
        OrtValue.CreateTensorValueFromMemory(window, [1, 512]),
        OrtValue.CreateTensorValueFromMemory(state, [2, 1, 128]),
        OrtValue.CreateTensorValueFromMemory(new long[] { 16000 }, []),
    ];

    private static float[] RunVad(InferenceSession session, float[] window, float[] state, List<float> probabilities)
    {
        var inputs = VadInputs(window, state);
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [.. session.InputNames], inputs, [.. session.OutputNames]);
            probabilities.AddRange(outputs[0].GetTensorDataAsSpan<float>().ToArray());
            return outputs[1].GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach (var v in inputs) v.Dispose();
        }
    }

    private static float[] RunFirst(InferenceSession session, float[] x, long[] shape)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(x, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [session.InputNames[0]], [input], [session.OutputNames[0]]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
