using System.Reflection;

namespace Compression.Onnx.Tests.IO;

[TestClass]
public sealed class DiagnosticsDocTests
{
    [TestMethod]
    public void EveryModelIoCodeIsDocumentedOnce()
    {
        string doc = File.ReadAllText(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(TestFiles.Silero))!, "..", "..", "docs", "diagnostics.md"));
        string[] codes = typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(c => c.StartsWith("CMP1", StringComparison.Ordinal))
            .ToArray();
        Assert.IsGreaterThan(15, codes.Length);
        Assert.HasCount(codes.Length, codes.Distinct(), "codes are unique");
        foreach (string code in codes)
        {
            Assert.AreEqual(1, doc.Split('\n').Count(line => line.StartsWith($"| {code} |", StringComparison.Ordinal)), code);
        }
    }
}
