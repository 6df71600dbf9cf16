using System.Diagnostics;
using System.Globalization;
using Compression.Onnx.Tests.Pipeline;

namespace Compression.Onnx.Tests.Robustness;

/// <summary>
/// Peak working set of load -> Int8 -> save on a large model, on demand:
/// <c>CMP_PEAK_MODEL=/tmp/mlp400.onnx dotnet test tests/Compression.Onnx.Tests --filter FullyQualifiedName~PeakMemoryTests</c>.
/// Run it alone: the peak is the test process's, so other tests in the same run would count.
/// </summary>
[TestClass]
public sealed class PeakMemoryTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Load_Int8_save_peak_working_set()
    {
        if (Environment.GetEnvironmentVariable("CMP_PEAK_MODEL") is not { Length: > 0 } source)
        {
            Assert.Inconclusive("Set CMP_PEAK_MODEL to a large float model (docs/reports/robustness.md makes a 400 MB MLP) to measure.");
            return;
        }

        string dir = PassTestFiles.NewTempDirectory();
        long modelBytes = new FileInfo(source).Length;
        using var self = Process.GetCurrentProcess();
        long before = self.WorkingSet64;
        var clock = Stopwatch.StartNew();
        ModelCompressor.Compress(source, Path.Combine(dir, "out.onnx"), new CompressionSettings { Quantize = QuantizationType.Int8, Validate = false });
        clock.Stop();
        self.Refresh();
        long peak = self.PeakWorkingSet64;
        TestContext.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"model {modelBytes / 1e6:0} MB; working set at start {before / 1e6:0} MB; peak {peak / 1e6:0} MB = {peak / (double)modelBytes:0.00}x the model ({(peak - before) / (double)modelBytes:0.00}x above the start); {clock.Elapsed.TotalSeconds:0.0} s"));
        File.Delete(Path.Combine(dir, "out.onnx"));
    }
}
