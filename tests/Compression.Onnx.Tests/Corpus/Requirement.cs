namespace Compression.Onnx.Tests.Corpus;

/// <summary>
/// Tests that need something installed (the ONNX test corpus, python3-onnx) pass with a plain note on a
/// developer machine without it, but fail under <c>CI=true</c>, where it must be there.
/// </summary>
internal static class Requirement
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reports a missing requirement; returns normally (the caller then returns) outside CI.</summary>
    public static void Missing(string what, string install)
    {
        string message = $"{what} is not installed ({install}); the test did nothing.";
        if (IsCi)
        {
            Assert.Fail(message + " CI=true requires it.");
        }

        Console.WriteLine("NOTE: " + message);
    }

    /// <summary>True when <paramref name="available"/>; otherwise reports <paramref name="what"/> as missing
    /// (a failure under CI=true, a note elsewhere) and returns false so the test can return.</summary>
    public static bool Require(bool available, string what)
    {
        if (!available)
        {
            Missing(what, "see README, Testing");
        }

        return available;
    }
}
