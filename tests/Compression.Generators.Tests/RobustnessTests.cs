using Compression.Generators.Parsing;

namespace Compression.Generators.Tests;

/// <summary>
/// No input makes the generator throw: an exception would only surface as warning CS8785 and silently drop the
/// wrapper. Every broken manifest must instead give a coded error.
/// </summary>
[TestClass]
public sealed class RobustnessTests
{
    public static IEnumerable<object[]> Garbage()
    {
        yield return [""];
        yield return ["null"];
        yield return ["\"just a string\""];
        yield return ["[1, 2, 3]"];
        yield return ["{\"schemaVersion\": 1}"];
        yield return ["{\"schemaVersion\": 1e400}"];
        yield return ["{\"schemaVersion\": 99999999999999999999999}"];
        yield return [new string('{', 10_000)];
        yield return [new string('[', 50_000) + "1" + new string(']', 50_000)];
        yield return ["\u0000\u0001\u0002\uFFFF\uD800"];
        yield return [string.Concat(Enumerable.Repeat("\"\\u", 100))];
        yield return [DiagnosticsTests.Tiny.Replace("\"inputs\": [", "\"inputs\": [ null, 1, \"x\", { }, { \"name\": 1 }, { \"name\": \"q\", \"elementType\": null }, { \"name\": \"r\", \"elementType\": \"float\", \"dims\": { } },")];
        yield return [DiagnosticsTests.Tiny.Replace("\"compression\"", "\"x\"").Replace("\"source\": \"models/tiny.onnx\",", "\"compression\": [], \"source\": \"models/tiny.onnx\",")];
        yield return [DiagnosticsTests.Tiny.Replace("{ \"value\": 1 }", "{ \"value\": 1.5 }")];
        yield return [DiagnosticsTests.Tiny.Replace("{ \"value\": 1 }", "{ \"param\": 7 }")];
        yield return [DiagnosticsTests.Tiny.Replace("\"className\": \"Tiny\"", "\"className\": \"\\u0000\"")];
        yield return [DiagnosticsTests.Tiny.Replace("\"compression\"", "\"c\"").Replace("\"source\"", "\"compression\": { \"sparsity\": \"high\", \"originalBytes\": -1, \"compressedBytes\": 1.5 }, \"source\"")];
    }

    [TestMethod]
    [DynamicData(nameof(Garbage))]
    public void GarbageGivesCodedErrorsNeverAGeneratorException(string manifest)
    {
        var result = GeneratorHarness.Run(("/project/obj/garbage.manifest.json", manifest));

        Assert.IsNull(result.Results.Single().Exception);
        Assert.IsFalse(result.Diagnostics.Any(d => d.Id == "CS8785"), string.Join("\n", result.Diagnostics));
        Assert.IsTrue(result.Diagnostics.Any(d => d.Id.StartsWith("CMP3", StringComparison.Ordinal) && d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error), "a broken manifest needs a coded error");
        Assert.IsEmpty(result.GeneratedTrees);
    }

    [TestMethod]
    public void AGeneratorExceptionWouldShowAsCs8785SoTheChecksAboveCanFail()
    {
        var driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(new ThrowingGenerator());
        var result = driver.RunGenerators(GeneratorHarness.NewCompilation("class C { }")).GetRunResult();

        Assert.IsNotNull(result.Results.Single().Exception);
        Assert.IsTrue(result.Diagnostics.Any(d => d.Id == "CS8785"));
    }

    [TestMethod]
    [DataRow("Ti\u200Dny")]
    [DataRow("\u00C9t\u00E9")]
    [DataRow("\u4E2D\u6587")]
    [DataRow("_")]
    public void UnusualButValidClassNamesGenerateWithoutAGeneratorException(string className)
    {
        var manifest = DiagnosticsTests.Tiny.Replace("\"className\": \"Tiny\"", "\"className\": \"" + className + "\"");
        var result = GeneratorHarness.Run(("/project/obj/unusual.manifest.json", manifest));

        Assert.IsNull(result.Results.Single().Exception);
        Assert.IsFalse(result.Diagnostics.Any(d => d.Id == "CS8785"), string.Join("\n", result.Diagnostics));
        Assert.AreEqual(result.Diagnostics.Any(d => d.Id == "CMP3004") ? 0 : 1, result.GeneratedTrees.Length);
    }

    [TestMethod]
    public void EveryTruncationAndRandomCorruptionOfARealManifestParsesOrReportsAnError()
    {
        var text = GeneratorHarness.ManifestText("every_type.manifest.json");
        var random = new Random(20261126);
        var cases = Enumerable.Range(0, text.Length).Select(n => text[..n]).ToList();
        const string alphabet = "{}[]\":,.-0123456789eE\\u aZ\u00e9\u0000";
        for (var i = 0; i < 3000; i++)
        {
            var chars = text.ToCharArray();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }

            cases.Add(new string(chars));
        }

        var parsed = 0;
        foreach (var manifest in cases)
        {
            var result = ManifestParser.Parse(new ManifestInput("/m.json", manifest, "Root"), default);
            var hasError = result.Diagnostics.Any(d => d.Id != "CMP3007");
            Assert.AreNotEqual(result.Model is null, !hasError, "a model exactly when there is no error: " + manifest);
            if (result.Model is not null)
            {
                parsed++;
                Assert.IsFalse(string.IsNullOrEmpty(Emit.WrapperEmitter.Emit(result.Model)));
            }
        }

        Console.WriteLine($"{cases.Count} corrupted manifests, {parsed} still valid and emitted");
        Assert.IsGreaterThan(0, parsed, "some corruptions (inside strings) leave a valid manifest");
    }

    private sealed class ThrowingGenerator : Microsoft.CodeAnalysis.IIncrementalGenerator
    {
        public void Initialize(Microsoft.CodeAnalysis.IncrementalGeneratorInitializationContext context)
            => context.RegisterSourceOutput(context.CompilationProvider, (_, _) => throw new InvalidOperationException("boom"));
    }
}
