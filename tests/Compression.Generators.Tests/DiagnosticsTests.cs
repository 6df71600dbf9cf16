using Microsoft.CodeAnalysis;

namespace Compression.Generators.Tests;

/// <summary>Each CMP3xxx diagnostic: reported at the manifest, with a message naming the item, and no crash.</summary>
[TestClass]
public sealed class DiagnosticsTests
{
    internal const string Tiny = """
        {
          "schemaVersion": 1,
          "className": "Tiny",
          "namespace": "My.App",
          "source": "models/tiny.onnx",
          "modelPath": "models/tiny.onnx",
          "inputs": [ { "name": "x", "elementType": "float", "dims": [ { "value": 1 } ] } ],
          "outputs": [ { "name": "y", "elementType": "float", "dims": [ { "value": 1 } ] } ]
        }
        """;

    private const string Path = "/project/obj/compression/tiny.onnx.manifest.json";

    private static Diagnostic SingleDiagnostic(string manifest, string id, bool generates = false)
    {
        var result = GeneratorHarness.Run((Path, manifest));
        Assert.IsNull(result.Results.Single().Exception);
        var diagnostic = result.Diagnostics.Single(d => d.Id == id);
        Assert.AreEqual(Path, diagnostic.Location.GetLineSpan().Path);
        Assert.AreEqual(generates ? 1 : 0, result.GeneratedTrees.Length, "generated sources");
        return diagnostic;
    }

    [TestMethod]
    public void ValidManifestGeneratesWithoutDiagnostics()
    {
        var result = GeneratorHarness.Run((Path, Tiny));
        Assert.IsEmpty(result.Diagnostics);
        Assert.AreEqual("My.App.Tiny.g.cs", result.Results.Single().GeneratedSources.Single().HintName);
    }

    [TestMethod]
    public void MalformedJsonIsCmp3001AtTheBrokenPlace()
    {
        var d = SingleDiagnostic(Tiny.Replace("\"className\": \"Tiny\",", "\"className\": \"Tiny\""), "CMP3001");
        Assert.AreEqual(DiagnosticSeverity.Error, d.Severity);
        Assert.AreEqual(3, d.Location.GetLineSpan().StartLinePosition.Line, "zero-based line of \"namespace\"");
        // The item's source is not known when the JSON cannot be read: the message names the manifest file.
        Assert.Contains("The manifest for 'tiny.onnx.manifest.json' is not valid JSON", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("expected ',' or '}' in an object at line 4", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    [DataRow("[]", "the root must be a JSON object")]
    [DataRow("{ }", "\"schemaVersion\" is missing")]
    [DataRow("{ \"schemaVersion\": \"1\" }", "\"schemaVersion\" must be a whole number")]
    public void ManifestsThatAreNotObjectsOrLackAVersionAreCmp3002(string manifest, string message)
        => Assert.Contains(message, SingleDiagnostic(manifest, "CMP3002").GetMessage(System.Globalization.CultureInfo.InvariantCulture));

    [TestMethod]
    [DataRow("\"modelPath\": \"models/tiny.onnx\",", "", "one of \"modelPath\" and \"resourceName\" must be set")]
    [DataRow("\"modelPath\": \"models/tiny.onnx\",", "\"modelPath\": \"a.onnx\", \"resourceName\": \"R.a.onnx\",", "only one of")]
    [DataRow("\"inputs\": [", "\"inputs\": 3, \"unused\": [", "\"inputs\" must be an array")]
    [DataRow("{ \"name\": \"x\", \"elementType\": \"float\",", "{ \"elementType\": \"float\",", "needs a non-empty string \"name\"")]
    [DataRow("{ \"value\": 1 } ] } ],\n  \"outputs\"", "{ \"value\": -1 } ] } ],\n  \"outputs\"", "must be a whole number >= 0")]
    [DataRow("{ \"value\": 1 } ] } ],\n  \"outputs\"", "{ \"value\": 1, \"param\": \"n\" } ] } ],\n  \"outputs\"", "cannot have both")]
    [DataRow("{ \"value\": 1 } ] } ],\n  \"outputs\"", "3 ] } ],\n  \"outputs\"", "must be an object")]
    [DataRow("\"source\": \"models/tiny.onnx\",", "\"source\": 5,", "\"source\" must be a string or null")]
    public void SchemaViolationsAreCmp3002(string find, string replace, string message)
    {
        var manifest = Tiny.Replace(find, replace);
        Assert.AreNotEqual(Tiny, manifest, "the replacement must apply");
        var d = SingleDiagnostic(manifest, "CMP3002");
        Assert.Contains(message, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public void OutputsCannotBeEmpty()
    {
        var manifest = Tiny.Replace("\"outputs\": [ { \"name\": \"y\", \"elementType\": \"float\", \"dims\": [ { \"value\": 1 } ] } ]", "\"outputs\": [ ]");
        Assert.Contains("at least one output", SingleDiagnostic(manifest, "CMP3002").GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public void AnotherSchemaVersionIsCmp3003()
        => Assert.Contains("schemaVersion 2", SingleDiagnostic(Tiny.Replace("\"schemaVersion\": 1", "\"schemaVersion\": 2"), "CMP3003").GetMessage(System.Globalization.CultureInfo.InvariantCulture));

    [TestMethod]
    [DataRow("\"className\": \"Tiny\"", "\"className\": \"my-model\"", "'my-model' is not a valid C# class name")]
    [DataRow("\"className\": \"Tiny\"", "\"className\": \"class\"", "'class' is not a valid C# class name")]
    [DataRow("\"className\": \"Tiny\"", "\"className\": \"tiny\"", "may become a keyword")]
    [DataRow("\"className\": \"Tiny\"", "\"className\": \"Result\"", "nested type of that name")]
    [DataRow("\"namespace\": \"My.App\"", "\"namespace\": \"My..App\"", "'My..App' is not a valid C# namespace")]
    [DataRow("\"namespace\": \"My.App\"", "\"namespace\": \"global.App\"", "not a valid C# namespace")]
    public void InvalidClassNamesAndNamespacesAreCmp3004AtTheValue(string find, string replace, string message)
    {
        var manifest = Tiny.Replace(find, replace);
        var d = SingleDiagnostic(manifest, "CMP3004");
        Assert.Contains(message, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        var value = replace[(replace.IndexOf(':') + 2)..];
        Assert.AreEqual(manifest.IndexOf(value, StringComparison.Ordinal), d.Location.SourceSpan.Start, "located at the value");
    }

    [TestMethod]
    [DataRow("complex64")]
    [DataRow("float8e4m3fn")]
    [DataRow("FLOAT")]
    public void UnsupportedElementTypesAreCmp3005AtTheType(string type)
    {
        var manifest = Tiny.Replace("{ \"name\": \"y\", \"elementType\": \"float\"", "{ \"name\": \"y\", \"elementType\": \"" + type + "\"");
        var d = SingleDiagnostic(manifest, "CMP3005");
        Assert.Contains("The output 'y' of 'models/tiny.onnx' has element type '" + type + "'", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual(manifest.IndexOf("\"" + type + "\"", StringComparison.Ordinal), d.Location.SourceSpan.Start);
    }

    [TestMethod]
    public void DuplicateInputNamesAreCmp3006()
    {
        var manifest = Tiny.Replace(
            "\"inputs\": [ { \"name\": \"x\", \"elementType\": \"float\", \"dims\": [ { \"value\": 1 } ] } ]",
            "\"inputs\": [ { \"name\": \"x\", \"elementType\": \"float\" }, { \"name\": \"x\", \"elementType\": \"int64\" } ]");
        Assert.Contains("input name 'x' more than once", SingleDiagnostic(manifest, "CMP3006").GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public void NamesThatSanitiseAlikeAreMadeUniqueWithCmp3007Info()
    {
        var manifest = Tiny.Replace(
            "\"inputs\": [ { \"name\": \"x\", \"elementType\": \"float\", \"dims\": [ { \"value\": 1 } ] } ]",
            "\"inputs\": [ { \"name\": \"a.b\", \"elementType\": \"float\", \"dims\": [] }, { \"name\": \"a_b\", \"elementType\": \"float\", \"dims\": [] } ]");
        var d = SingleDiagnostic(manifest, "CMP3007", generates: true);
        Assert.AreEqual(DiagnosticSeverity.Info, d.Severity);
        Assert.Contains("The input 'a_b' of 'models/tiny.onnx' is exposed as 'aB2' because its sanitised name 'aB' is already taken", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public void AnInputNamedLikeRunsOwnParameterIsRenamed()
    {
        var manifest = Tiny.Replace("{ \"name\": \"x\",", "{ \"name\": \"run_options\",");
        var d = SingleDiagnostic(manifest, "CMP3007", generates: true);
        Assert.Contains("exposed as 'runOptions2'", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public void TwoModelsForOneClassAreCmp3008AndTheFirstByPathIsKept()
    {
        var other = Tiny.Replace("models/tiny.onnx", "models/other/tiny.onnx");
        var result = GeneratorHarness.Run(("/project/obj/b.manifest.json", other), ("/project/obj/a.manifest.json", Tiny));
        var d = result.Diagnostics.Single();
        Assert.AreEqual("CMP3008", d.Id);
        Assert.AreEqual("/project/obj/b.manifest.json", d.Location.GetLineSpan().Path);
        Assert.AreEqual(
            "'models/other/tiny.onnx' and 'models/tiny.onnx' both generate the class 'My.App.Tiny'; only the wrapper for 'models/tiny.onnx' is generated; set a distinct ClassName or Namespace on one of the CompressedModel items",
            d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("models/tiny.onnx", result.GeneratedTrees.Single().ToString());
    }

    [TestMethod]
    public void AnUnreadableManifestIsCmp3009()
        => Assert.Contains(Path, SingleDiagnostic(null!, "CMP3009").GetMessage(System.Globalization.CultureInfo.InvariantCulture));

    [TestMethod]
    public void FilesWithoutTheManifestMetadataAreIgnored()
    {
        var driver = GeneratorHarness.NewDriver([], otherFiles: [GeneratorHarness.Manifest("/project/notes.json", Tiny)]);
        var result = driver.RunGenerators(GeneratorHarness.NewCompilation("class C { }")).GetRunResult();
        Assert.IsEmpty(result.GeneratedTrees);
        Assert.IsEmpty(result.Diagnostics);
    }

    [TestMethod]
    public void ClassNameAndNamespaceFallBackToTheFileStemAndRootNamespace()
    {
        var manifest = Tiny.Replace("\"className\": \"Tiny\"", "\"className\": null").Replace("\"namespace\": \"My.App\"", "\"namespace\": \"\"")
            .Replace("models/tiny.onnx", "models/my_tiny-model.v2.onnx");
        var result = GeneratorHarness.RunWithNamespace("Fallback.Root", (Path, manifest));
        Assert.AreEqual("Fallback.Root.MyTinyModelV2.g.cs", result.Results.Single().GeneratedSources.Single().HintName);

        var global = GeneratorHarness.RunWithNamespace(string.Empty, (Path, manifest));
        var source = GeneratorHarness.SingleSource(global);
        Assert.DoesNotContain("namespace ", source);
    }
}
