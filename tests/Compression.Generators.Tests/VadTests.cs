using Microsoft.ML.OnnxRuntime;

namespace Compression.Generators.Tests;

/// <summary>The generated Silero VAD v5 wrapper, compiled and run against the real model.</summary>
[TestClass]
public sealed class VadTests
{
    private const string ProbeSource = """
        using System;
        using System.Linq;
        using System.Threading;
        using Microsoft.ML.OnnxRuntime;
        using VoiceApp;

        internal static class Probe
        {
            // Runs consecutive windows through Run, feeding stateN back as the next state; returns each
            // window's [probability, output shape...] and, last, the final state.
            public static float[][] RunSequence(string? path, float[][] windows)
            {
                using var vad = path is null ? new SileroVadV5() : SileroVadV5.FromFile(path);
                var state = new float[2 * 1 * 128];
                var results = new float[windows.Length + 1][];
                for (var i = 0; i < windows.Length; i++)
                {
                    var result = vad.Run(windows[i], state, 16000, inputShape: new long[] { 1, 512 });
                    results[i] = new[] { result.Output[0] }.Concat(result.OutputShape.Select(d => (float)d)).Concat(result.StateNShape.Select(d => (float)d)).ToArray();
                    state = result.StateN;
                }

                results[windows.Length] = state;
                return results;
            }

            // The same through Bind: buffers bound once, state copied back in place; also measures managed
            // allocation over the steady-state runs.
            public static float[][] RunBound(string path, float[][] windows, long[] allocated)
            {
                using var vad = SileroVadV5.FromFile(path);
                var window = new float[512];
                var state = new float[256];
                var sr = new long[] { 16000 };
                var output = new float[1];
                var stateN = new float[256];
                using var windowValue = OrtValue.CreateTensorValueFromMemory(window, new long[] { 1, 512 });
                using var stateValue = OrtValue.CreateTensorValueFromMemory(state, new long[] { 2, 1, 128 });
                using var srValue = OrtValue.CreateTensorValueFromMemory(sr, new long[0]);
                using var outputValue = OrtValue.CreateTensorValueFromMemory(output, new long[] { 1, 1 });
                using var stateNValue = OrtValue.CreateTensorValueFromMemory(stateN, new long[] { 2, 1, 128 });
                using var binding = vad.Bind(windowValue, stateValue, srValue, outputValue, stateNValue);
                var results = new float[windows.Length + 1][];
                for (var i = 0; i < results.Length; i++) results[i] = new float[1];
                var before = 0L;
                for (var i = 0; i < windows.Length; i++)
                {
                    if (i == 1) before = GC.GetAllocatedBytesForCurrentThread();
                    windows[i].AsSpan().CopyTo(window);
                    binding.Run();
                    stateN.AsSpan().CopyTo(state);
                    if (i == windows.Length - 1) allocated[0] = GC.GetAllocatedBytesForCurrentThread() - before;
                    results[i][0] = output[0];
                }

                results[windows.Length] = state;
                return results;
            }

            public static string Failure(string path, int which)
            {
                using var vad = SileroVadV5.FromFile(path);
                var window = new float[512];
                try
                {
                    switch (which)
                    {
                        case 0: vad.Run(window, new float[256], 16000); break;                                                   // input [?, ?] cannot be inferred
                        case 1: vad.Run(window, new float[255], 16000, inputShape: new long[] { 1, 512 }); break;                // 255 not a multiple of 256
                        case 2: vad.Run(window, new float[3 * 128], 16000, new long[] { 1, 512 }, new long[] { 3, 1, 128 }); break; // dim 0 must be 2
                        case 3: vad.Run(window, new float[256], 16000, inputShape: new long[] { 1, 511 }); break;                // length mismatch
                        case 4: vad.Run(window, new float[256], 16000, new long[] { 1, 512 }, new long[] { 2, 128 }); break;     // wrong rank
                        case 5:
                            using (var f = OrtValue.CreateTensorValueFromMemory(new float[512], new long[] { 1, 512 }))
                            using (var d = OrtValue.CreateTensorValueFromMemory(new double[256], new long[] { 2, 1, 128 }))
                            using (var s = OrtValue.CreateTensorValueFromMemory(new long[1], new long[0]))
                            using (var o = OrtValue.CreateTensorValueFromMemory(new float[1], new long[] { 1, 1 }))
                            using (var n = OrtValue.CreateTensorValueFromMemory(new float[256], new long[] { 2, 1, 128 }))
                            {
                                vad.Bind(f, d, s, o, n).Dispose();                                                                // state is double
                            }

                            break;
                        case 6:
                            vad.Dispose();
                            vad.Run(window, new float[256], 16000, inputShape: new long[] { 1, 512 });
                            break;
                        case 7:
                            using (var cancelled = new RunOptions { Terminate = true })
                            {
                                vad.Run(window, new float[256], 16000, inputShape: new long[] { 1, 512 }, runOptions: cancelled);
                            }

                            break;
                    }
                }
                catch (OnnxRuntimeException e)
                {
                    return e.GetType().Name + "||" + e.Message;
                }
                catch (ArgumentException e)
                {
                    return e.GetType().Name + "|" + e.ParamName + "|" + e.Message;
                }
                catch (ObjectDisposedException e)
                {
                    return e.GetType().Name + "||" + e.Message;
                }

                return "no exception";
            }

            public static string Describe() => string.Join(";",
                SileroVadV5.Description.Inputs.Select(t => t.Name + " " + t) .Concat(SileroVadV5.Description.Outputs.Select(t => t.Name + " " + t)))
                + ";" + SileroVadV5.Description.Quantize + ";" + SileroVadV5.Description.OriginalBytes + ";" + SileroVadV5.Description.CompressedBytes
                + ";" + SileroVadV5.Description.Inputs[2].Rank + ";" + SileroVadV5.Description.Inputs[0].ClrType.Name;

            // threads x Run on one instance for `milliseconds`; every result is compared with the serial one.
            public static long[] Hammer(string path, float[][] windows, float[][] expected, int threads, int milliseconds)
            {
                using var vad = SileroVadV5.FromFile(path);
                long runs = 0, mismatches = 0;
                var stop = DateTime.UtcNow.AddMilliseconds(milliseconds);
                var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
                {
                    var state = new float[256];
                    for (var i = t; DateTime.UtcNow < stop; i++)
                    {
                        var w = i % windows.Length;
                        var result = vad.Run(windows[w], state, 16000, inputShape: new long[] { 1, 512 });
                        Interlocked.Increment(ref runs);
                        if (result.Output[0] != expected[w][0] || !result.StateN.AsSpan().SequenceEqual(expected[w].AsSpan(1)))
                        {
                            Interlocked.Increment(ref mismatches);
                        }
                    }
                })).ToList();
                workers.ForEach(w => w.Start());
                workers.ForEach(w => w.Join());
                return new[] { runs, mismatches };
            }
        }
        """;

    private static readonly Lazy<GeneratedWrapper> Wrapper = new(() => GeneratedWrapper.Compile("silero_vad_v5.manifest.json", ProbeSource));

    private static string Model => GeneratorHarness.ModelPath("silero_vad_v5.onnx");

    /// <summary>Deterministic speech-like audio: a chirp with noise, different per window.</summary>
    private static float[][] Windows(int count)
    {
        var random = new Random(1234);
        return [.. Enumerable.Range(0, count).Select(w => Enumerable.Range(0, 512)
            .Select(i => (float)(0.3 * Math.Sin((w * 512 + i) * (0.02 + (0.001 * w))) + (0.05 * (random.NextDouble() - 0.5))))
            .ToArray())];
    }

    /// <summary>The same calls written by hand against InferenceSession with OrtValues.</summary>
    private static (float Probability, float[] StateN)[] HandWritten(float[][] windows)
    {
        using var session = new InferenceSession(Model);
        using var runOptions = new RunOptions();
        var state = new float[256];
        var results = new (float, float[])[windows.Length];
        for (var i = 0; i < windows.Length; i++)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(windows[i], [1, 512]);
            using var stateValue = OrtValue.CreateTensorValueFromMemory(state, [2, 1, 128]);
            using var sr = OrtValue.CreateTensorValueFromMemory(new long[] { 16000 }, []);
            using var outputs = session.Run(runOptions, ["input", "state", "sr"], [input, stateValue, sr], ["output", "stateN"]);
            var list = outputs.ToList();
            state = list[1].GetTensorDataAsSpan<float>().ToArray();
            results[i] = (list[0].GetTensorDataAsSpan<float>()[0], state);
        }

        return results;
    }

    [TestMethod]
    public void RunEqualsHandWrittenInferenceSession()
    {
        var windows = Windows(12);
        var expected = HandWritten(windows);
        var actual = Wrapper.Value.Call<float[][]>("RunSequence", Model, windows);

        for (var i = 0; i < windows.Length; i++)
        {
            Assert.AreEqual(expected[i].Probability, actual[i][0], "window " + i);
            CollectionAssert.AreEqual(new float[] { 1, 1, 2, 1, 128 }, actual[i][1..], "output and stateN shapes");
        }

        CollectionAssert.AreEqual(expected[^1].StateN, actual[^1]);
        Assert.IsTrue(expected.Select(e => e.Probability).Distinct().Count() > 1, "the windows should give different probabilities");
    }

    [TestMethod]
    public void DefaultConstructorLoadsTheModelFromTheAppFolder()
    {
        // The manifest's modelPath is models/silero_vad_v5.onnx, copied next to the test assembly.
        var windows = Windows(3);
        var fromAppFolder = Wrapper.Value.Call<float[][]>("RunSequence", null, windows);
        var fromFile = Wrapper.Value.Call<float[][]>("RunSequence", Model, windows);
        CollectionAssert.AreEqual(fromFile[^1], fromAppFolder[^1]);
    }

    [TestMethod]
    public void BindingRunsInPlaceWithoutAllocatingAndMatchesRun()
    {
        var windows = Windows(40);
        var viaRun = Wrapper.Value.Call<float[][]>("RunSequence", Model, windows);
        var allocated = new long[1];
        var viaBinding = Wrapper.Value.Call<float[][]>("RunBound", Model, windows, allocated);

        for (var i = 0; i < windows.Length; i++)
        {
            Assert.AreEqual(viaRun[i][0], viaBinding[i][0], "window " + i);
        }

        CollectionAssert.AreEqual(viaRun[^1], viaBinding[^1]);
        Assert.AreEqual(0L, allocated[0], "managed bytes allocated by 39 bound runs");
    }

    [TestMethod]
    [DataRow(0, "ArgumentException|inputShape|The shape of input input float[?, ?] cannot be inferred from the data length; pass inputShape.")]
    [DataRow(1, "ArgumentException|state|Input state float[2, ?, 128]: state has 255 elements, which is not a multiple of 256 (the product of the known dims).")]
    [DataRow(2, "ArgumentException|stateShape|state float[2, ?, 128]: dim 0 must be 2, but the shape [3, 1, 128] has 3.")]
    [DataRow(3, "ArgumentException|input|Input input float[?, ?] with shape [1, 511] needs 511 elements, but input has 512.")]
    [DataRow(4, "ArgumentException|stateShape|state float[2, ?, 128] has rank 3, but the shape [2, 128] has rank 2.")]
    [DataRow(5, "ArgumentException|state|state float[2, ?, 128] needs Float elements, but state holds Double.")]
    [DataRow(6, "ObjectDisposedException||Cannot access a disposed object.")]
    [DataRow(7, "OnnxRuntimeException||[ErrorCode:Fail] Exiting due to terminate flag being set to true.")]
    public void BadArgumentsGiveClearExceptionsBeforeTheRuntimeRuns(int which, string expected)
    {
        var actual = Wrapper.Value.Call<string>("Failure", Model, which);
        Assert.StartsWith(expected, actual);
    }

    [TestMethod]
    public void DescriptionNamesTheSignatureAndCompression()
    {
        Assert.AreEqual(
            "input float[?, ?];state float[2, ?, 128];sr int64 scalar;output float[?, 1];stateN float[?, ?, ?];Int8;2327524;712345;0;Single",
            Wrapper.Value.Call<string>("Describe"));
    }

    [TestMethod]
    public void EightThreadsOnOneInstanceGetTheSerialResults()
    {
        var windows = Windows(16);
        // Each thread starts from zero state per call, so every result depends only on its window.
        var expected = windows.Select(w =>
        {
            var single = Wrapper.Value.Call<float[][]>("RunSequence", Model, new[] { w });
            return new[] { single[0][0] }.Concat(single[1]).ToArray();
        }).ToArray();

        var counts = Wrapper.Value.Call<long[]>("Hammer", Model, windows, expected, 8, 2000);

        Console.WriteLine($"{counts[0]} concurrent runs on 8 threads, {counts[1]} mismatches");
        Assert.IsGreaterThan(8L * 16, counts[0], "every thread should have run every window");
        Assert.AreEqual(0L, counts[1]);
    }
}
