using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Compression.Generators.Tests;

/// <summary>The pipeline caches: edits that do not touch a manifest do no work; a changed manifest regenerates only its model.</summary>
[TestClass]
public sealed class IncrementalTests
{
    private static readonly string[] Steps =
    [
        CompressedModelGenerator.StepNames.ManifestInputs,
        CompressedModelGenerator.StepNames.ParsedManifests,
        CompressedModelGenerator.StepNames.GenerationUnits,
    ];

    private static (GeneratorDriver Driver, CSharpCompilation Compilation, AdditionalText Vad) ThreeModels()
    {
        var vad = GeneratorHarness.Manifest("/p/obj/vad.manifest.json", GeneratorHarness.ManifestText("silero_vad_v5.manifest.json"));
        var manifests = new[]
        {
            vad,
            GeneratorHarness.Manifest("/p/obj/cls.manifest.json", GeneratorHarness.ManifestText("ch_ppocr_mobile_v2.0_cls_infer.manifest.json")),
            GeneratorHarness.Manifest("/p/obj/every.manifest.json", GeneratorHarness.ManifestText("every_type.manifest.json")),
        };
        var compilation = GeneratorHarness.NewCompilation("namespace App { class Program { static void Main() { } } }");
        var driver = GeneratorHarness.NewDriver(manifests, otherFiles: [GeneratorHarness.Manifest("/p/readme.txt", "not a manifest")]);
        return (driver.RunGenerators(compilation), compilation, vad);
    }

    [TestMethod]
    public void AnUnrelatedSyntaxEditLeavesEveryStepCachedOrUnchanged()
    {
        var (driver, compilation, _) = ThreeModels();
        var edited = compilation.AddSyntaxTrees(GeneratorHarness.Parse("namespace App { class Added { int X => 1; } }"));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in Steps)
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.IsNotEmpty(outputs, step);
            foreach (var (_, reason) in outputs)
            {
                Assert.IsTrue(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, step + " was " + reason);
            }
        }

        foreach (var (_, reason) in result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs))
        {
            Assert.IsTrue(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, "source output was " + reason);
        }

        Assert.HasCount(3, result.GeneratedSources);
    }

    [TestMethod]
    public void AChangedManifestRegeneratesOnlyThatModel()
    {
        var (driver, compilation, vad) = ThreeModels();
        var before = driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var changed = GeneratorHarness.Manifest(vad.Path, vad.GetText()!.ToString().Replace("\"compressedBytes\": 712345", "\"compressedBytes\": 700001"));

        var result = driver.ReplaceAdditionalText(vad, changed).RunGenerators(compilation).GetRunResult().Results.Single();

        var parsed = result.TrackedSteps[CompressedModelGenerator.StepNames.ParsedManifests].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.AreEqual(1, parsed.Count(r => r == IncrementalStepRunReason.Modified), string.Join(",", parsed));
        Assert.AreEqual(2, parsed.Count(r => r == IncrementalStepRunReason.Cached), string.Join(",", parsed));

        var units = result.TrackedSteps[CompressedModelGenerator.StepNames.GenerationUnits].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.AreEqual(1, units.Count(r => r == IncrementalStepRunReason.Modified), string.Join(",", units));
        Assert.AreEqual(2, units.Count(r => r == IncrementalStepRunReason.Unchanged), string.Join(",", units));

        var after = result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.Contains("700001L", after["VoiceApp.SileroVadV5.g.cs"]);
        Assert.AreEqual(before["TestApp.ChPpocrMobileV20ClsInfer.g.cs"], after["TestApp.ChPpocrMobileV20ClsInfer.g.cs"]);
        Assert.AreEqual(before["Tricky.Models.EveryType.g.cs"], after["Tricky.Models.EveryType.g.cs"]);
    }

    [TestMethod]
    public void TheModelIsEquatableSoEqualManifestsGiveEqualModels()
    {
        var text = GeneratorHarness.ManifestText("every_type.manifest.json");
        var a = Parsing.ManifestParser.Parse(new Parsing.ManifestInput("/m.json", text, "R"), default);
        var b = Parsing.ManifestParser.Parse(new Parsing.ManifestInput("/m.json", new string([.. text]), "R"), default);
        Assert.AreEqual(a, b);
        Assert.AreEqual(a.GetHashCode(), b.GetHashCode());
        var c = Parsing.ManifestParser.Parse(new Parsing.ManifestInput("/m.json", text.Replace("\"sparsity\": 0.5", "\"sparsity\": 0.25"), "R"), default);
        Assert.AreNotEqual(a, c);
    }
}
