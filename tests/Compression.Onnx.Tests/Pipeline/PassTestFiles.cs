namespace Compression.Onnx.Tests.Pipeline;

/// <summary>Paths to committed test data and a per-test scratch folder.</summary>
internal static class PassTestFiles
{
    private static readonly Lazy<string> DataRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "data");
            if (Directory.Exists(Path.Combine(candidate, "models"))) return candidate;
        }

        throw new DirectoryNotFoundException("tests/data not found above " + AppContext.BaseDirectory);
    });

    public static string Data(params string[] parts) => Path.Combine([DataRoot.Value, .. parts]);

    public static string VadModel => Data("models", "silero_vad_v5.onnx");

    public static string ClassifierModel => Data("models", "ch_ppocr_mobile_v2.0_cls_infer.onnx");

    public static string NewTempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cmp-passes-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
