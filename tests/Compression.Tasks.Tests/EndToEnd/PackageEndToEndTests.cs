using System.Text.RegularExpressions;
using Compression.Tasks.Tests.Infrastructure;

namespace Compression.Tasks.Tests.EndToEnd;

/// <summary>
/// The product as a user gets it: the packed Compression.Build package in a local folder feed, a fresh
/// console project with the two real models, an embedded tiny one and a bad one, and the whole build
/// life cycle (fail, build, no-op, settings change, publish, clean). One test, because every step
/// starts from the previous one and each dotnet command costs seconds.
/// </summary>
[TestClass]
public sealed partial class PackageEndToEndTests
{
    private const string Vad = "silero_vad_v5.onnx";
    private const string Classifier = "ch_ppocr_mobile_v2.0_cls_infer.onnx";
    private const string SkipMessage = "Skipping target \"_CompressionBuildCompress\" because all output files are up-to-date";

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public void Package_builds_publishes_and_cleans_a_consumer_project()
    {
        _ = LocalPackageFeed.Package;
        using var project = new TestProject("App", IntegrationMode.Package, Items(classifierPerChannel: true));
        project.AddRealModel(Vad, "models/" + Vad);
        project.AddRealModel(Classifier, "models/" + Classifier);
        project.AddFile("models/tiny.onnx", TinyModels.Mlp(32));
        TestDataSets.WriteSileroVad(Path.Combine(project.ProjectDirectory, "validation", "vad"), sets: 3);
        project.AddFile("broken/bad.onnx", [0x08, 0x07, 0xFF, 0xFF, 0x12, 0x99, 0x00, 0x42]);
        File.WriteAllText(Path.Combine(project.ProjectDirectory, "Program.cs"), """
            // The generated classes exist and the embedded model is a resource.
            System.Console.WriteLine(typeof(App.SileroVadV5).FullName);
            System.Console.WriteLine(typeof(App.ChPpocrMobileV20ClsInfer).FullName);
            foreach (string name in typeof(App.SileroVadV5).Assembly.GetManifestResourceNames()) System.Console.WriteLine("resource " + name);
            """);
        Dictionary<string, string> sources = FileHashes.Of(Path.Combine(project.ProjectDirectory, "models"));
        Dictionary<string, string> validation = FileHashes.Of(Path.Combine(project.ProjectDirectory, "validation"));

        // 1. The bad model fails the build with the engine's code, naming the model file.
        DotNetResult failed = project.Run("build", "-p:WithBadModel=true");
        Assert.IsFalse(failed.Succeeded, failed.ToString());
        string badPath = Path.Combine(project.ProjectDirectory, "broken", "bad.onnx");
        Assert.MatchesRegex(new Regex(Regex.Escape(badPath) + @" ?: error CMP1\d{3}: "), failed.Output, failed.ToString());

        // 2. Without it: compressed models in bin, smaller than the sources, one line each.
        DotNetResult first = project.Run("build");
        Assert.IsTrue(first.Succeeded, first.ToString());
        foreach (string model in new[] { Vad, Classifier })
        {
            string output = Path.Combine(project.OutputDirectory, "models", model);
            Assert.IsTrue(File.Exists(output), output + "\n" + first);
            Assert.IsLessThan(new FileInfo(Path.Combine(project.ProjectDirectory, "models", model)).Length, new FileInfo(output).Length, model + " is not smaller");
            // The failing build already compressed the good models (every item is tried before the build fails, CMP2050),
            // so each model is compressed exactly once over the two builds.
            Assert.AreEqual(1, CompressionLines(failed.Output, model) + CompressionLines(first.Output, model), failed + "\n" + first);
        }

        Assert.Contains("max |d|", (failed.Output + "\n" + first.Output).Split('\n').First(l => l.TrimStart().StartsWith(Vad + " -> ", StringComparison.Ordinal)),
            "validated on the given ValidationData in ONNX Runtime, loaded in-proc from the package's tasks folder");
        Assert.IsFalse(File.Exists(Path.Combine(project.OutputDirectory, "models", "tiny.onnx")), "an embedded model is not copied");
        FileHashes.AssertSame(sources, FileHashes.Of(Path.Combine(project.ProjectDirectory, "models")), "the source models");
        DotNetResult run = DotNet.Run(project.OutputDirectory, "App.dll");
        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, "App.SileroVadV5");
        StringAssert.Contains(run.Output, "resource models/tiny.onnx");

        // 3. Nothing changed: the compression target is skipped for every model.
        DateTime vadWritten = File.GetLastWriteTimeUtc(Path.Combine(project.CompressionDirectory, "models", Vad));
        DotNetResult noOp = project.Run("build");
        Assert.IsTrue(noOp.Succeeded, noOp.ToString());
        Assert.AreEqual(3, Regex.Count(noOp.Output, Regex.Escape(SkipMessage)), noOp.ToString());
        Assert.AreEqual(0, CompressionLines(noOp.Output, Vad) + CompressionLines(noOp.Output, Classifier), noOp.ToString());

        // 4. One model's settings change: only that model is compressed again.
        project.WriteProject(Items(classifierPerChannel: false));
        DotNetResult changed = project.Run("build");
        Assert.IsTrue(changed.Succeeded, changed.ToString());
        Assert.AreEqual(1, CompressionLines(changed.Output, Classifier), changed.ToString());
        Assert.AreEqual(0, CompressionLines(changed.Output, Vad), changed.ToString());
        Assert.AreEqual(vadWritten, File.GetLastWriteTimeUtc(Path.Combine(project.CompressionDirectory, "models", Vad)));

        // 5. Publish carries the compressed models.
        string publish = Path.Combine(project.Root, "publish");
        DotNetResult published = project.Run("publish", "-o", publish);
        Assert.IsTrue(published.Succeeded, published.ToString());
        foreach (string model in new[] { Vad, Classifier })
        {
            Assert.AreEqual(
                FileHashes.Hash(Path.Combine(project.OutputDirectory, "models", model)),
                FileHashes.Hash(Path.Combine(publish, "models", model)),
                model + " in publish");
        }

        // 6. Clean removes everything the build wrote.
        DotNetResult cleaned = project.Run("clean");
        Assert.IsTrue(cleaned.Succeeded, cleaned.ToString());
        Assert.IsFalse(Directory.Exists(project.CompressionDirectory), "obj/.../compression is gone");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.OutputDirectory, "models")) && Directory.EnumerateFiles(Path.Combine(project.OutputDirectory, "models")).Any(), "no model left in bin");
        FileHashes.AssertSame(sources, FileHashes.Of(Path.Combine(project.ProjectDirectory, "models")), "the source models after clean");
        FileHashes.AssertSame(validation, FileHashes.Of(Path.Combine(project.ProjectDirectory, "validation")), "the validation data");
    }

    // The bad model first: its batch fails the target before the good ones are compressed.
    private static string Items(bool classifierPerChannel) => $"""
            <CompressedModel Include="broken/bad.onnx" Quantize="Int8" Condition="'$(WithBadModel)' == 'true'" />
            <CompressedModel Include="models/{Vad}" Quantize="Int8" ValidationData="validation/vad" />
            <CompressedModel Include="models/{Classifier}" Quantize="UInt8" PerChannel="{(classifierPerChannel ? "true" : "false")}" />
            <CompressedModel Include="models/tiny.onnx" Quantize="Float16" Embed="true" />
        """;

    private static int CompressionLines(string output, string model) =>
        output.Split('\n').Count(line => line.TrimStart().StartsWith(model + " -> ", StringComparison.Ordinal));
}
