using Compression.Onnx.Tests.Pipeline;
using Compression.Onnx.Validation;
using Compression.Onnx.Validation.Tolerance;

namespace Compression.Onnx.Tests.Validation.Tolerance;

/// <summary>The Tolerance grammar, the metrics it checks, and the build's reaction to a miss.</summary>
[TestClass]
public sealed class AccuracyBudgetTests
{
    [TestMethod]
    public void A_plain_number_keeps_its_meaning_of_max_abs()
    {
        var budget = AccuracyBudget.Parse("0.02");
        Assert.AreEqual(new ToleranceRule(null, ToleranceMetric.MaxAbs, 0.02), budget.Rules.Single());
    }

    [TestMethod]
    public void Rules_name_outputs_metrics_and_bounds()
    {
        var budget = AccuracyBudget.Parse("output:maxabs<=0.02; stateN:cosine>=0.98;top1>=0.99;MEANABS<=1e-3;onnx::out:0:cosine>=0.5");
        CollectionAssert.AreEqual(
            new[]
            {
                new ToleranceRule("output", ToleranceMetric.MaxAbs, 0.02),
                new ToleranceRule("stateN", ToleranceMetric.Cosine, 0.98),
                new ToleranceRule(null, ToleranceMetric.Top1, 0.99),
                new ToleranceRule(null, ToleranceMetric.MeanAbs, 0.001),
                new ToleranceRule("onnx::out:0", ToleranceMetric.Cosine, 0.5),
            },
            budget.Rules.ToArray());
        Assert.AreEqual("output:maxabs<=0.02;stateN:cosine>=0.98;top1>=0.99;meanabs<=0.001;onnx::out:0:cosine>=0.5", budget.ToString());
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("-0.1")]
    [DataRow("Infinity")]
    [DataRow("cosine>0.9")]
    [DataRow("cosine<=0.9")]
    [DataRow("maxabs>=0.1")]
    [DataRow("cosine>=1.1")]
    [DataRow("cosine>=abc")]
    [DataRow("psnr>=30")]
    [DataRow("output:")]
    public void Text_outside_the_grammar_is_CMP4210(string text)
    {
        var e = Assert.ThrowsExactly<CompressionException>(() => AccuracyBudget.Parse(text, "m.onnx"));
        Assert.AreEqual(DiagnosticCodes.InvalidTolerance, e.Code);
        Assert.AreEqual("m.onnx", e.FilePath);
    }

    [TestMethod]
    public void Check_reports_each_missing_rule_and_output_with_the_value()
    {
        OutputDeviation[] outputs =
        [
            new("logits", 0.5, 0.01, 0.97, 100, 0.9),
            new("state", 0.01, 0.001, 0.9999, 100, 1),
        ];
        var misses = AccuracyBudget.Parse("cosine>=0.99;logits:top1>=0.95;state:maxabs<=0.02").Check(outputs);
        Assert.HasCount(2, misses);
        Assert.AreEqual("output 'logits': cosine 0.97, needs >= 0.99", misses[0].ToString());
        Assert.AreEqual("output 'logits': top1 0.9, needs >= 0.95", misses[1].ToString());
        var unknown = Assert.ThrowsExactly<CompressionException>(() => AccuracyBudget.Parse("prob:cosine>=0.9").Check(outputs));
        Assert.AreEqual(DiagnosticCodes.ToleranceUnknownOutput, unknown.Code);
        Assert.Contains("logits, state", unknown.Help);
    }

    [TestMethod]
    public void Top1_is_argmax_agreement_over_the_last_axis()
    {
        var acc = new DeviationAccumulator();
        // Three rows of 3 classes: rows 0 and 2 agree, row 1 flips (1 -> 2); ties take the first index, as numpy.
        acc.Add([0.1, 0.8, 0.1, 0.2, 0.5, 0.3, 0.4, 0.4, 0.2], [0.2, 0.7, 0.1, 0.2, 0.3, 0.5, 0.4, 0.3, 0.3], [3, 3], "p", "m.onnx");
        Assert.AreEqual(2.0 / 3, acc.ToDeviation("p").Top1Agreement, 1e-12);
        Assert.AreEqual(2, DeviationAccumulator.ArgMax([1, 2, 5, 5]));
        Assert.AreEqual(1, DeviationAccumulator.ArgMax([1, double.NaN, 5]));
    }

    [TestMethod]
    public void A_miss_in_the_build_is_CMP4012_naming_output_metric_and_value_and_writes_nothing()
    {
        string dir = PassTestFiles.NewTempDirectory();
        string source = TinyModels.Save(TinyModels.MatMul(64, 64), dir, "m.onnx");
        string output = Path.Combine(dir, "out", "m.onnx");
        var e = Assert.ThrowsExactly<CompressionException>(() =>
            ModelCompressor.Compress(source, output, new CompressionSettings { Quantize = QuantizationType.Int8, Tolerance = "y:cosine>=0.999999999" }));
        Assert.AreEqual(DiagnosticCodes.ToleranceExceeded, e.Code);
        StringAssert.Matches(e.Message, new System.Text.RegularExpressions.Regex(@"output 'y': cosine 0\.\d+, needs >= 0\.999999999"));
        Assert.IsFalse(File.Exists(output));

        var report = ModelCompressor.Compress(source, output, new CompressionSettings { Quantize = QuantizationType.Int8, Tolerance = "y:cosine>=0.9;maxabs<=10" });
        Assert.IsTrue(report.Validation!.MinCosineSimilarity >= 0.9);
        Assert.IsEmpty(report.Warnings);
    }

    [TestMethod]
    public void A_budget_checked_on_synthesised_integer_inputs_is_warning_CMP4212()
    {
        string output = Path.Combine(PassTestFiles.NewTempDirectory(), "vad.onnx");
        var report = ModelCompressor.Compress(PassTestFiles.VadModel, output, new CompressionSettings { Quantize = QuantizationType.Int8, Tolerance = "1", ValidationSampleCount = 1 });
        var warning = report.Warnings.Single();
        Assert.AreEqual(DiagnosticCodes.ToleranceOnSynthesisedInputs, warning.Code);
        Assert.Contains("sr", warning.Message);
    }
}
