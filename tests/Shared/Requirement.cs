namespace Compression.Testing;

/// <summary>
/// The one rule for tests that need something installed (the ONNX test corpus, python3-onnx): on a developer
/// machine without it they pass with a NOTE on the console; under CI, where .ci/run installs it, they fail.
/// Linked into every test project from tests/Directory.Build.props, so there is one copy of the rule.
/// </summary>
internal static class Requirement
{
    /// <summary>
    /// True under a CI runner: <c>CI</c> set to <c>true</c>, <c>1</c> or <c>yes</c> (any case), or the variables
    /// Azure Pipelines (<c>TF_BUILD</c>) and GitHub Actions (<c>GITHUB_ACTIONS</c>) set.
    /// </summary>
    public static bool IsCi => IsCiEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>The CI rule over any variable lookup (so the rule itself is testable without changing the process).</summary>
    public static bool IsCiEnvironment(Func<string, string?> variable) =>
        IsSet(variable("CI")) || IsSet(variable("TF_BUILD")) || IsSet(variable("GITHUB_ACTIONS"));

    /// <summary>Reports a missing requirement; returns normally (the caller then returns) outside CI.</summary>
    public static void Missing(string what, string install)
    {
        string message = $"{what} is not installed ({install}); the test did nothing.";
        if (IsCi)
        {
            Assert.Fail(message + " CI requires it.");
        }

        Console.WriteLine("NOTE: " + message);
    }

    /// <summary>True when <paramref name="available"/>; otherwise reports <paramref name="what"/> as missing
    /// (a failure under CI, a note elsewhere) and returns false so the test can return.</summary>
    public static bool Require(bool available, string what, string install = "see README, Testing")
    {
        if (!available)
        {
            Missing(what, install);
        }

        return available;
    }

    private static bool IsSet(string? value) =>
        value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1" || value.Equals("yes", StringComparison.OrdinalIgnoreCase));
}
