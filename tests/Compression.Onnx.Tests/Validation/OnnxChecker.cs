using Compression.Testing;
namespace Compression.Onnx.Tests.Validation;

/// <summary>
/// The reference <c>onnx.checker.check_model</c> (python3-onnx) for the pass tests: a thin view over
/// <see cref="Corpus.PythonOnnxChecker"/>, the one place that runs the checker processes.
/// </summary>
internal static class OnnxChecker
{
    private static readonly Lazy<bool> Available = new(Corpus.PythonOnnxChecker.IsAvailable);

    public static bool IsAvailable => Available.Value;

    /// <summary>Null when the model passes; otherwise the checker's message.</summary>
    public static string? Check(string path) => CheckAll([path]).GetValueOrDefault(path);

    /// <summary>Checks many models in a few python processes; returns the failures by path.</summary>
    public static Dictionary<string, string> CheckAll(IReadOnlyList<string> paths) => Corpus.PythonOnnxChecker.Check(paths);

    /// <summary>
    /// Asserts that the model passes; without python3-onnx it passes with a note, except under CI=true
    /// (see <see cref="Compression.Testing.Requirement"/>).
    /// </summary>
    public static void AssertValid(string path)
    {
        if (!IsAvailable)
        {
            Requirement.Missing("python3-onnx (onnx.checker)", "apt-get install python3-onnx");
            return;
        }

        Assert.IsNull(Check(path), "onnx.checker: " + path);
    }
}
