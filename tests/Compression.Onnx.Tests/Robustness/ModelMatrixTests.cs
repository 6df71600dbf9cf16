using Compression.Testing;
using Compression.Onnx.Tests.Corpus;
using Compression.Onnx.Tests.Pipeline;

namespace Compression.Onnx.Tests.Robustness;

/// <summary>
/// Every real model x every setting (issue 19): the two committed models (PaddleOCR's text-direction classifier, Silero
/// VAD v5) and every model of the ONNX backend corpus that has a float weight (pytorch-converted, pytorch-operator,
/// node and simple suites), each under the 14 settings of <see cref="SettingMatrix"/>. Each compresses (runs in ONNX
/// Runtime through the engine's validation, passes onnx.checker, within the loose bound of <see cref="MatrixOutcome"/>)
/// or stops with a documented "not applicable" code; an internal error fails the test.
/// </summary>
[TestClass]
public sealed class ModelMatrixTests
{
    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> RealCases =>
        from model in new[] { "classifier", "vad" }
        from setting in SettingMatrix.Compact
        select new object[] { model, setting.Name };

    public static IEnumerable<object[]> Settings => SettingMatrix.Compact.Select(s => new object[] { s.Name });

    [TestMethod]
    [DynamicData(nameof(RealCases))]
    public void A_real_model_compresses_or_does_not_apply(string model, string setting)
    {
        string source = model == "vad" ? PassTestFiles.VadModel : PassTestFiles.ClassifierModel;
        string? code = MatrixOutcome.Check(source, setting, MatrixOutcome.NewDirectory());
        TestContext.WriteLine($"{model} x {setting}: {code ?? "compressed"}");
    }

    [TestMethod]
    [DynamicData(nameof(Settings))]
    public void Every_corpus_model_with_weights_compresses_or_does_not_apply(string setting)
    {
        var models = CorpusWithWeights.Value;
        if (models.Count == 0)
        {
            Requirement.Missing("the ONNX backend corpus (libonnx-testdata)", "apt-get install libonnx-testdata");
            return;
        }

        string work = MatrixOutcome.NewDirectory();
        var outputs = new List<string>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            string copy = Path.Combine(work, model.Suite + "." + model.Name + ".onnx");
            File.Copy(model.ModelPath, copy, overwrite: true);
            string outcome = MatrixOutcome.Check(copy, setting, work, outputs) ?? "compressed";
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        MatrixOutcome.AssertAllValid(outputs);
        TestContext.WriteLine($"{setting}: {models.Count} corpus models: " + string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Value} {o.Key}")));
    }

    /// <summary>Corpus models with at least one float initializer or Constant of 16+ elements, which some setting may compress.</summary>
    private static readonly Lazy<IReadOnlyList<CorpusModel>> CorpusWithWeights = new(() =>
        CorpusModel.FindAll().Where(m => HasWeight(m.ModelPath)).ToList());

    private static bool HasWeight(string path)
    {
        try
        {
            using var model = Compression.Onnx.IO.OnnxModel.Load(path);
            return Compression.Onnx.Graph.WeightCatalog.Build(model).Any(w => w.ElementType == 1 && w.ElementCount >= 16);
        }
        catch (CompressionException)
        {
            return false; // the corpus's own unreadable models are the reader tests' business
        }
    }
}
