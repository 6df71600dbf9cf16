using System.Globalization;
using Compression.Onnx.Conversion;
using Compression.Onnx.Tests.Corpus;
using Compression.Testing;

namespace Compression.Onnx.Tests.Conversion;

/// <summary>
/// The ONNX backend corpus converted to ONNX Runtime's newest opset and down to opset 11 (always), and to every opset
/// from 7 to the newest when <c>COMPRESSION_CONVERSION_SWEEP=full</c> (about 10 times longer; docs/reports/conversion.md
/// has its numbers). Every conversion either reproduces the expected outputs or is refused with a coded error: none
/// is written that ONNX Runtime rejects or that computes something else.
/// </summary>
[TestClass]
public sealed class CorpusConversionTests
{
    /// <summary>The down-conversion checked on every run: opset 11, below the many schema changes of 12 and 13.</summary>
    private const int DownTarget = 11;

    [TestMethod]
    public void CorpusConversionsReproduceTheExpectedOutputsOrAreRefused()
    {
        IReadOnlyList<CorpusModel> models = CorpusModel.FindAll();
        if (!Requirement.Require(models.Count > 0, "The ONNX test corpus (" + CorpusModel.Root + ")")) return;
        bool full = Environment.GetEnvironmentVariable("COMPRESSION_CONVERSION_SWEEP") == "full";
        var (eligible, excluded) = CorpusConversion.Baselines(models);
        int newest = OpsetConverter.SupportedOpsets.Newest;
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<ConversionOutcome>();
        Parallel.ForEach(eligible, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, baseline =>
        {
            IEnumerable<int> targets = full ? Enumerable.Range(7, newest - 6).Where(t => t != baseline.Opset)
                : new[] { DownTarget, newest }.Where(t => t != baseline.Opset && (t == newest || t < baseline.Opset));
            foreach (int target in targets) outcomes.Add(CorpusConversion.Convert(baseline, target));
        });

        Console.WriteLine($"{models.Count} corpus models; {eligible.Count} reproduce their expected outputs in ONNX Runtime as originals; {excluded.Count} do not count:");
        foreach (var group in excluded.GroupBy(e => Reason(e.Value)).OrderByDescending(g => g.Count())) Console.WriteLine($"  {group.Count(),4} {group.Key}");
        Report(outcomes.Where(o => o.Target > o.Source && o.Target == newest).ToList(), $"up to opset {newest}");
        Report(outcomes.Where(o => o.Target < o.Source && o.Target == DownTarget).ToList(), $"down to opset {DownTarget}", details: full);
        if (full)
        {
            Report(outcomes.Where(o => o.Target > o.Source).ToList(), "up, every target");
            Report(outcomes.Where(o => o.Target < o.Source).ToList(), "down, every target");
            foreach (var byTarget in outcomes.GroupBy(o => o.Target).OrderBy(g => g.Key))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  target {byTarget.Key,2}: {byTarget.Count(o => o.Status == ConversionStatus.Reproduces)}/{byTarget.Count()} reproduce"));
            }
        }

        var up = outcomes.Where(o => o.Target == newest).ToList();
        double share = up.Count == 0 ? 1 : (double)up.Count(o => o.Status == ConversionStatus.Reproduces) / up.Count;
        Assert.IsGreaterThanOrEqualTo(0.95, share, "share of up-conversions to the newest opset that reproduce the expected outputs");
        var wrong = outcomes.Where(o => o.Status is ConversionStatus.Deviates or ConversionStatus.RuntimeRejects).ToList();
        Assert.IsEmpty(wrong, "converted models that ONNX Runtime rejects or that compute something else: " + string.Join("; ", wrong.Take(10).Select(o => $"{o.Id} {o.Source}->{o.Target} {o.Status}: {o.Detail}")));
    }

    private static void Report(List<ConversionOutcome> outcomes, string title, bool details = true)
    {
        int ok = outcomes.Count(o => o.Status == ConversionStatus.Reproduces);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title}: {ok}/{outcomes.Count} ({(outcomes.Count == 0 ? 1 : (double)ok / outcomes.Count):P1}) convert and reproduce; the rest{(details ? ":" : " by code:")}"));
        if (!details)
        {
            foreach (var group in outcomes.Where(o => o.Status != ConversionStatus.Reproduces).GroupBy(o => o.Detail.Split(':')[0]).OrderByDescending(g => g.Count())) Console.WriteLine($"  {group.Count(),4} {group.Key}");
            return;
        }

        foreach (var o in outcomes.Where(o => o.Status != ConversionStatus.Reproduces).OrderBy(o => o.Id, StringComparer.Ordinal).ThenBy(o => o.Target))
        {
            Console.WriteLine($"  {o.Id} {o.Source}->{o.Target} {o.Status}: {o.Detail}");
        }
    }

    private static string Reason(string detail)
    {
        int colon = detail.IndexOf(": output", StringComparison.Ordinal);
        return colon > 0 ? detail[..colon] + ": deviates from the expected outputs" : detail.Length > 120 ? detail[..120] : detail;
    }
}
