using Compression.Testing;

namespace Compression.Onnx.Tests.Corpus;

/// <summary>The CI rule every requirement goes through: which environments count as CI.</summary>
[TestClass]
public sealed class RequirementTests
{
    [TestMethod]
    [DataRow("CI", "true")]
    [DataRow("CI", "TRUE")]
    [DataRow("CI", "True")]
    [DataRow("CI", "1")]
    [DataRow("CI", "yes")]
    [DataRow("CI", "Yes")]
    [DataRow("TF_BUILD", "True")]
    [DataRow("GITHUB_ACTIONS", "true")]
    public void These_environments_are_CI(string name, string value) =>
        Assert.IsTrue(Requirement.IsCiEnvironment(v => v == name ? value : null), $"{name}={value}");

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("false")]
    [DataRow("0")]
    [DataRow("no")]
    [DataRow("truthy")]
    public void Other_values_are_not_CI(string? value) =>
        Assert.IsFalse(Requirement.IsCiEnvironment(v => v == "CI" ? value : null), $"CI={value}");

    [TestMethod]
    public void A_missing_requirement_fails_exactly_under_CI()
    {
        if (Requirement.IsCi)
        {
            Assert.ThrowsExactly<AssertFailedException>(() => Requirement.Require(false, "a tool", "install it"));
        }
        else
        {
            Assert.IsFalse(Requirement.Require(false, "a tool", "install it"));
        }

        Assert.IsTrue(Requirement.Require(true, "a tool"));
    }
}
