using System.Globalization;
using System.Text.RegularExpressions;

namespace Compression.Onnx.Validation.Tolerance;

/// <summary>
/// The <c>Tolerance</c> setting: <c>;</c>-separated rules <c>[output:]metric op bound</c> with the metrics
/// <c>maxabs&lt;=</c>, <c>meanabs&lt;=</c>, <c>cosine&gt;=</c> and <c>top1&gt;=</c>, for example
/// <c>output:maxabs&lt;=0.02;stateN:cosine&gt;=0.98</c>. A rule without an output name applies to every output; a
/// plain number keeps its first meaning, <c>maxabs&lt;=</c> that number on every output.
/// </summary>
public sealed partial class AccuracyBudget
{
    private AccuracyBudget(string text, IReadOnlyList<ToleranceRule> rules)
    {
        Text = text;
        Rules = rules;
    }

    /// <summary>The setting as written.</summary>
    public string Text { get; }

    /// <summary>The rules, in the order written.</summary>
    public IReadOnlyList<ToleranceRule> Rules { get; }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="CompressionException">CMP4210 the text does not follow the grammar.</exception>
    public static AccuracyBudget Parse(string text, string? filePath = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var budget, out string? error) ? budget
            : throw new CompressionException(DiagnosticCodes.InvalidTolerance, $"Tolerance=\"{text}\" is not valid: {error}.", filePath, GrammarHelp);
    }

    /// <summary>Parses <paramref name="text"/> without throwing; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AccuracyBudget? budget, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        budget = null;
        error = null;
        var rules = new List<ToleranceRule>();
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double plain))
        {
            if (!(plain >= 0) || double.IsInfinity(plain))
            {
                error = "a plain number (the largest allowed |difference|) must be finite and 0 or more";
                return false;
            }

            budget = new AccuracyBudget(text, [new ToleranceRule(null, ToleranceMetric.MaxAbs, plain)]);
            return true;
        }

        foreach (string part in text.Split(';'))
        {
            string rule = part.Trim();
            if (rule.Length == 0) continue;
            var match = RulePattern().Match(rule);
            if (!match.Success)
            {
                error = $"'{rule}' is not [output:]metric>=bound or [output:]metric<=bound with metric cosine, top1, maxabs or meanabs";
                return false;
            }

            var metric = match.Groups["metric"].Value.ToLowerInvariant() switch
            {
                "maxabs" => ToleranceMetric.MaxAbs,
                "meanabs" => ToleranceMetric.MeanAbs,
                "cosine" => ToleranceMetric.Cosine,
                _ => ToleranceMetric.Top1,
            };
            string? output = match.Groups["output"].Success ? match.Groups["output"].Value.Trim() : null;
            if (!double.TryParse(match.Groups["bound"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double bound) || !double.IsFinite(bound) || bound < 0)
            {
                error = $"'{rule}': the bound must be a finite number of 0 or more";
                return false;
            }

            var parsed = new ToleranceRule(output is { Length: > 0 } ? output : null, metric, bound);
            string op = match.Groups["op"].Value;
            if ((op == ">=") != parsed.HigherIsBetter)
            {
                error = $"'{rule}': {parsed.MetricName} is bounded {(parsed.HigherIsBetter ? "from below (>=)" : "from above (<=)")}";
                return false;
            }

            if (metric is ToleranceMetric.Cosine or ToleranceMetric.Top1 && bound > 1)
            {
                error = $"'{rule}': {parsed.MetricName} is at most 1";
                return false;
            }

            rules.Add(parsed);
        }

        if (rules.Count == 0)
        {
            error = "it has no rule";
            return false;
        }

        budget = new AccuracyBudget(text, rules);
        return true;
    }

    /// <summary>The help text of a grammar error.</summary>
    public const string GrammarHelp =
        "Write ';'-separated rules [output:]metric op bound: cosine>=0.995, top1>=0.99, maxabs<=0.02, meanabs<=0.001, e.g. \"output:maxabs<=0.02;stateN:cosine>=0.98\"; or a plain number for the largest |difference|.";

    /// <summary>Every (rule, output) pair that misses, with the measured value, in rule order then output order.</summary>
    /// <exception cref="CompressionException">CMP4211 a rule names an output the model does not have.</exception>
    public IReadOnlyList<ToleranceMiss> Check(IReadOnlyList<OutputDeviation> outputs, string? filePath = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var misses = new List<ToleranceMiss>();
        foreach (var rule in Rules)
        {
            var targets = rule.Output is null ? outputs : outputs.Where(o => o.Name == rule.Output).ToList();
            if (rule.Output is not null && targets.Count == 0)
            {
                throw new CompressionException(DiagnosticCodes.ToleranceUnknownOutput,
                    $"Tolerance rule '{rule}' names output '{rule.Output}', which the model does not have (or is not numeric).", filePath,
                    "Output names are case-sensitive; the model's outputs: " + string.Join(", ", outputs.Select(o => o.Name)) + ".");
            }

            foreach (var output in targets)
            {
                double value = rule.Measure(output);
                if (!rule.Holds(value)) misses.Add(new ToleranceMiss(rule, output.Name, value));
            }
        }

        return misses;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(";", Rules);

    [GeneratedRegex(@"^(?:(?<output>.+):)?\s*(?<metric>cosine|top1|maxabs|meanabs)\s*(?<op>>=|<=)\s*(?<bound>\S+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RulePattern();
}

/// <summary>One rule an output misses.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Output">The output.</param>
/// <param name="Value">The measured value of the rule's metric.</param>
public sealed record ToleranceMiss(ToleranceRule Rule, string Output, double Value)
{
    /// <summary>E.g. <c>output 'logits': cosine 0.9712, needs &gt;= 0.995</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"output '{Output}': {Rule.MetricName} {Shown}, needs {(Rule.HigherIsBetter ? ">=" : "<=")} {Rule.Bound:R}");

    // Four digits, unless they round the value onto the passing side of a bound just beside it (cosine 0.99997
    // against 0.999999999 would read "cosine 1"): then every digit.
    private string Shown
    {
        get
        {
            string short4 = Value.ToString("G4", CultureInfo.InvariantCulture);
            return Rule.Holds(double.Parse(short4, CultureInfo.InvariantCulture)) ? Value.ToString("R", CultureInfo.InvariantCulture) : short4;
        }
    }
}
