using Compression.Onnx.IO;
using Compression.Onnx.Tests.IO;
using Compression.Testing;

namespace Compression.Onnx.Tests.Corpus;

/// <summary>The ONNX backend test corpus (Debian <c>libonnx-testdata</c>) through our reader and writer.</summary>
[TestClass]
public sealed class CorpusTests
{
    [ClassCleanup]
    public static void DeleteSavedModels() => CorpusRoundTrip.DeleteOutput();

    private static CorpusRoundTrip? Corpus()
    {
        if (CorpusModel.FindAll().Count == 0)
        {
            Requirement.Missing("The ONNX test corpus (" + CorpusModel.Root + ")", "apt-get install libonnx-testdata");
            return null;
        }

        return CorpusRoundTrip.Instance;
    }

    [TestMethod]
    public void EveryCorpusModelLoadsAndSavesBackUnchanged()
    {
        CorpusRoundTrip? corpus = Corpus();
        if (corpus is null)
        {
            return;
        }

        Console.WriteLine(corpus.RoundTripSummary);
        Console.WriteLine(corpus.CatalogSummary);
        Assert.IsGreaterThan(1000, corpus.Models.Count, "the Debian corpus has about 1,070 models");
        Assert.IsEmpty(corpus.RoundTripFailures, string.Join(Environment.NewLine, corpus.RoundTripFailures.Take(20)));
    }

    [TestMethod]
    public void SavedCorpusModelsReproduceTheExpectedOutputsInOnnxRuntime()
    {
        CorpusRoundTrip? corpus = Corpus();
        if (corpus is null)
        {
            return;
        }

        Console.WriteLine(corpus.RuntimeSummary);
        Console.WriteLine("Deviating in ONNX Runtime (original and saved alike): " + string.Join(", ", corpus.DeviatingModels.Order(StringComparer.Ordinal)));
        Console.WriteLine("Not loadable by ONNX Runtime (originals): " + Environment.NewLine + string.Join(Environment.NewLine, corpus.NotLoadableByOnnxRuntime.Order(StringComparer.Ordinal)));
        Assert.IsEmpty(corpus.RuntimeFailures, string.Join(Environment.NewLine, corpus.RuntimeFailures.Take(20)));
    }

    [TestMethod]
    public void SavedCorpusModelsPassTheOnnxChecker()
    {
        CorpusRoundTrip? corpus = Corpus();
        if (corpus is null)
        {
            return;
        }

        if (!PythonOnnxChecker.IsAvailable())
        {
            Requirement.Missing("python3-onnx (" + PythonOnnxChecker.Python + " with the onnx package)", "apt-get install python3-onnx");
            return;
        }

        (string Original, string Saved)[] pairs = [.. corpus.SavedModels];
        Dictionary<string, string> failures = PythonOnnxChecker.Check([.. pairs.Select(p => p.Original), .. pairs.Select(p => p.Saved)]);
        string[] regressions = pairs
            .Where(p => failures.ContainsKey(p.Saved) && !failures.ContainsKey(p.Original))
            .Select(p => $"{p.Saved}: {failures[p.Saved]}")
            .ToArray();
        int originalFailures = pairs.Count(p => failures.ContainsKey(p.Original));
        Console.WriteLine($"onnx.checker: {pairs.Length} saved models (all initializers as external data) checked; {pairs.Length - regressions.Length - originalFailures} pass, {originalFailures} fail as their originals do, {regressions.Length} fail only after saving");
        Assert.IsEmpty(regressions, string.Join(Environment.NewLine, regressions.Take(20)));
    }

    [TestMethod]
    public void SavedRealModelsPassTheOnnxChecker()
    {
        if (!PythonOnnxChecker.IsAvailable())
        {
            Requirement.Missing("python3-onnx (" + PythonOnnxChecker.Python + " with the onnx package)", "apt-get install python3-onnx");
            return;
        }

        using var folder = new TempFolder();
        var saved = new List<string>();
        foreach (string source in new[] { TestFiles.Silero, TestFiles.PpOcr })
        {
            using OnnxModel model = OnnxModel.Load(source);
            string output = folder.File(Path.GetFileName(source));
            model.Save(output, new ModelSaveOptions { ExternalData = ExternalDataMode.Always, ExternalizeAttributeTensors = true });
            saved.Add(output);
        }

        Dictionary<string, string> failures = PythonOnnxChecker.Check(saved);
        Assert.IsEmpty(failures, string.Join(Environment.NewLine, failures.Select(f => f.Key + ": " + f.Value)));
    }
}
