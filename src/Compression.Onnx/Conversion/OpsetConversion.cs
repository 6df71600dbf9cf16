using System.Globalization;

namespace Compression.Onnx.Conversion;

/// <summary>The result of <see cref="OpsetConverter.Convert"/>: the opsets and the nodes an adapter rewrote, per operator.</summary>
/// <param name="SourceOpset">The model's default-domain opset before conversion.</param>
/// <param name="TargetOpset">The opset after conversion.</param>
/// <param name="Adapted">Rewritten nodes per operator type (nodes crossing only type-widening changes are not counted).</param>
public sealed record OpsetConversion(int SourceOpset, int TargetOpset, IReadOnlyDictionary<string, int> Adapted)
{
    /// <summary>One phrase for the build's summary, e.g. <c>opset 9 -> 13 (rewrote Slice 2, Squeeze 4)</c>.</summary>
    public override string ToString()
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"opset {SourceOpset} -> {TargetOpset}");
        return Adapted.Count == 0 ? text : text + " (rewrote " + string.Join(", ", Adapted.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Key} {a.Value}"))) + ")";
    }
}
