using System.Globalization;

namespace Compression.Onnx.Validation.Tolerance;

/// <summary>One accuracy rule: a metric of one output (or of every output) against a bound.</summary>
/// <param name="Output">The output it applies to, or <see langword="null"/> for every output.</param>
/// <param name="Metric">What is measured.</param>
/// <param name="Bound">The limit: an upper bound for <c>maxabs</c>/<c>meanabs</c>, a lower bound for <c>cosine</c>/<c>top1</c>.</param>
public sealed record ToleranceRule(string? Output, ToleranceMetric Metric, double Bound)
{
    /// <summary>Whether larger values of the metric are better (<c>cosine</c>, <c>top1</c>).</summary>
    public bool HigherIsBetter => Metric is ToleranceMetric.Cosine or ToleranceMetric.Top1;

    /// <summary>The metric's name in the grammar: <c>maxabs</c>, <c>meanabs</c>, <c>cosine</c>, <c>top1</c>.</summary>
    public string MetricName => Metric switch
    {
        ToleranceMetric.MaxAbs => "maxabs",
        ToleranceMetric.MeanAbs => "meanabs",
        ToleranceMetric.Cosine => "cosine",
        _ => "top1",
    };

    /// <summary>Whether <paramref name="value"/> satisfies the rule (NaN never does).</summary>
    public bool Holds(double value) => HigherIsBetter ? value >= Bound : value <= Bound;

    /// <summary>The value of this rule's metric for one output.</summary>
    public double Measure(OutputDeviation output) => Metric switch
    {
        ToleranceMetric.MaxAbs => output.MaxAbsoluteDifference,
        ToleranceMetric.MeanAbs => output.MeanAbsoluteDifference,
        ToleranceMetric.Cosine => output.CosineSimilarity,
        _ => output.Top1Agreement,
    };

    /// <summary>The rule as written in <c>Tolerance</c>, e.g. <c>output:cosine&gt;=0.995</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(Output is null ? string.Empty : Output + ":")}{MetricName}{(HigherIsBetter ? ">=" : "<=")}{Bound:R}");
}
