using Compression.Testing;

namespace Compression.Generators.Tests;

/// <summary>
/// The emitted source, compared as text with Snapshots/*.g.cs. To accept a change, run the tests with
/// UPDATE_SNAPSHOTS=1 and review the diff (refused under CI, see <see cref="Requirement"/>).
/// </summary>
[TestClass]
public sealed class SnapshotTests
{
    [TestMethod]
    [DataRow("silero_vad_v5.manifest.json", "VoiceApp.SileroVadV5.g.cs")]
    [DataRow("ch_ppocr_mobile_v2.0_cls_infer.manifest.json", "TestApp.ChPpocrMobileV20ClsInfer.g.cs")]
    [DataRow("every_type.manifest.json", "Tricky.Models.EveryType.g.cs")]
    public void EmittedSourceMatchesSnapshot(string manifest, string snapshot)
    {
        var result = GeneratorHarness.Run(("/project/obj/" + manifest, GeneratorHarness.ManifestText(manifest)));
        Assert.AreEqual(snapshot, result.Results.Single().GeneratedSources.Single().HintName);
        var actual = GeneratorHarness.SingleSource(result);

        var path = Path.Combine(GeneratorHarness.SourceDirectory(), "Snapshots", snapshot);
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            // Rewriting the expectation and then comparing with it cannot fail: never in CI, where it would hide a change.
            Assert.IsFalse(Requirement.IsCi, "UPDATE_SNAPSHOTS=1 is refused under CI: accept snapshot changes on a developer machine and commit them.");
            File.WriteAllText(path, actual);
        }

        Assert.IsTrue(File.Exists(path), "Missing snapshot " + path + "; run with UPDATE_SNAPSHOTS=1 to create it.");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n").Split('\n');
        var lines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expected.Length, lines.Length); i++)
        {
            var want = i < expected.Length ? expected[i] : "<end of file>";
            var got = i < lines.Length ? lines[i] : "<end of file>";
            Assert.AreEqual(want, got, $"{snapshot} line {i + 1} differs; run with UPDATE_SNAPSHOTS=1 to accept the new output and review the diff.");
        }
    }
}
