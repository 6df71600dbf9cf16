using System.Reflection;
using Compression.Tasks.Diagnostics;
using Compression.Tasks.Tests.Infrastructure;

namespace Compression.Tasks.Tests.Docs;

/// <summary>Every code the MSBuild adapter can report has its row (cause and fix) in docs/diagnostics.md.</summary>
[TestClass]
public sealed class DiagnosticsDocTests
{
    [TestMethod]
    public void Every_build_code_is_documented_once()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "diagnostics.md"));
        string[] codes = typeof(BuildDiagnostics).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();
        Assert.IsGreaterThanOrEqualTo(12, codes.Length);
        Assert.HasCount(codes.Length, codes.Distinct(), "codes are unique");
        foreach (string code in codes)
        {
            StringAssert.StartsWith(code, "CMP2");
            Assert.AreEqual(1, lines.Count(line => line.StartsWith($"| {code} |", StringComparison.Ordinal)), code);
        }
    }
}
