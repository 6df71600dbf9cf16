using System.Diagnostics;
using System.Globalization;
using Compression.Kernels;
using Compression.Testing;

namespace Compression.Kernels.Tests;

/// <summary>
/// 4-bit clip search on the weights of the two real models in tests/data/models, extracted with python3-onnx
/// (Fixtures/extract_weights.py). Without python3-onnx the test passes with a NOTE, except under CI (<see cref="Requirement"/>).
/// </summary>
[TestClass]
public sealed class RealWeightsTests
{
    [TestMethod]
    [DataRow("ch_ppocr_mobile_v2.0_cls_infer.onnx")]
    [DataRow("silero_vad_v5.onnx")]
    public void Clip_search_reduces_4bit_error_on_real_weights(string model)
    {
        string modelPath = Path.Combine(FindRepositoryRoot(), "tests", "data", "models", model);
        string outDir = Path.Combine(Path.GetTempPath(), "kernels-weights-" + Path.GetFileNameWithoutExtension(model));
        string script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "extract_weights.py");
        if (!Requirement.Require(PythonOnnxIsInstalled(), "python3-onnx (/usr/bin/python3 with the onnx package)", "apt-get install python3-onnx"))
        {
            return;
        }

        // python3-onnx is there, so a failing extraction is a real failure, not a missing requirement.
        Assert.IsTrue(TryExtract(script, modelPath, outDir, out string problem), "extract_weights.py failed: " + problem);

        double totalMinMax = 0, totalSearch = 0, totalSignal = 0;
        int tensors = 0;
        foreach (string line in File.ReadLines(Path.Combine(outDir, "index.txt")))
        {
            string[] f = line.Split(' ');
            int k = int.Parse(f[1], CultureInfo.InvariantCulture);
            int n = int.Parse(f[2], CultureInfo.InvariantCulture);
            float[] b = new float[k * n];
            using (var stream = File.OpenRead(Path.Combine(outDir, f[0])))
            {
                stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b.AsSpan()));
            }

            foreach (bool symmetric in new[] { true, false })
            {
                double minMax = RoundTripSquaredError(b, k, n, symmetric, BlockScaleRule.MinMax);
                double search = RoundTripSquaredError(b, k, n, symmetric, BlockScaleRule.ClipSearch);
                Assert.IsLessThanOrEqualTo(minMax, search, $"{f[3]} symmetric={symmetric}");
                totalMinMax += minMax;
                totalSearch += search;
            }

            totalSignal += 2 * b.Sum(v => (double)v * v);
            tensors++;
        }

        Assert.IsGreaterThan(0, tensors, "no weights extracted");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{model}: {tensors} weight tensors, 4-bit block 32 (symmetric + asymmetric): squared error {totalMinMax:E3} -> {totalSearch:E3} " +
            $"({100 * (1 - (totalSearch / totalMinMax)):F1}% less), SQNR {10 * Math.Log10(totalSignal / totalMinMax):F2} dB -> {10 * Math.Log10(totalSignal / totalSearch):F2} dB"));
        Assert.IsLessThan(totalMinMax, totalSearch);
    }

    private static double RoundTripSquaredError(float[] b, int k, int n, bool symmetric, BlockScaleRule rule)
    {
        const int Block = 32;
        int blocks = (k + Block - 1) / Block;
        var packed = new byte[n * blocks * Block / 2];
        var scales = new float[n * blocks];
        var zps = symmetric ? [] : new byte[n * ((blocks + 1) / 2)];
        BlockQuantizer4Bit.QuantizeMatMulNBits(b, k, n, Block, symmetric, packed, scales, zps, rule);
        var back = new float[b.Length];
        BlockQuantizer4Bit.DequantizeMatMulNBits(packed, scales, zps, k, n, Block, back);
        return ErrorMetrics.Compare(b, back).MeanSquaredError * b.Length;
    }

    private static bool PythonOnnxIsInstalled() =>
        File.Exists("/usr/bin/python3") && TryRun(["-c", "import onnx"], out _);

    private static bool TryExtract(string script, string modelPath, string outDir, out string problem) =>
        TryRun([script, modelPath, outDir], out problem);

    private static bool TryRun(string[] arguments, out string problem)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", arguments)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            });
            if (process is null)
            {
                problem = "could not start /usr/bin/python3";
                return false;
            }

            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            problem = error;
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            problem = e.Message;
            return false;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Compression.Build.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root not found.");
    }
}
