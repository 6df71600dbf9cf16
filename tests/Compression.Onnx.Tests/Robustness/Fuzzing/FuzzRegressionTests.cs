using Compression.Onnx.Tests.Pipeline;

namespace Compression.Onnx.Tests.Robustness.Fuzzing;

/// <summary>
/// Inputs the fuzzer once broke the engine with, kept in <c>tests/data/fuzz/</c> as <c>&lt;seed&gt;.&lt;setting&gt;.&lt;n&gt;.onnx</c>
/// (the setting as in <see cref="SettingMatrix"/>, spaces as '_', ':' as '-'): each must now end in success or a
/// coded error that is not an internal one.
/// </summary>
[TestClass]
public sealed class FuzzRegressionTests
{
    private static string Folder => PassTestFiles.Data("fuzz");

    public static IEnumerable<object[]> Findings =>
        Directory.Exists(Folder)
            ? Directory.GetFiles(Folder, "*.onnx").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) })
            : [];

    [TestMethod]
    public void The_regression_folder_is_not_empty() => Assert.IsNotEmpty(Findings.ToList(), Folder);

    [TestMethod]
    [DynamicData(nameof(Findings))]
    public void A_former_finding_ends_in_a_user_facing_outcome(string file)
    {
        string stem = Path.GetFileNameWithoutExtension(file);
        stem = stem[..stem.LastIndexOf('.')]; // drop the finding's number
        string setting = stem[(stem.IndexOf('.', StringComparison.Ordinal) + 1)..].Replace('_', ' ').Replace('-', ':');
        string work = PassTestFiles.NewTempDirectory();
        string source = Path.Combine(work, "fuzz.onnx");
        File.Copy(Path.Combine(Folder, file), source);
        var runner = new FuzzRunner([], work, Path.Combine(work, "findings"));
        long compressed = 0, coded = 0;
        byte[] input = File.ReadAllBytes(source);
        string? problem = setting == "reader" ? runner.Read(input, ref coded) : runner.Compress(input, SettingMatrix.Named(setting) with { Validate = false }, ref compressed, ref coded);
        Assert.IsNull(problem, file);
    }
}
