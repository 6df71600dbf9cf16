using System.Globalization;
using System.Text;

namespace Compression.Tasks.Metadata;

/// <summary>Weight/activation precision (<c>Quantize</c>).</summary>
internal enum Quantization { None, Int8, UInt8, Int4, UInt4, Float16, BFloat16 }

/// <summary>How integer quantization is applied (<c>Mode</c>).</summary>
internal enum QuantizationMode { Dynamic, WeightOnly, Static, Full }

/// <summary>The range of signed 8-bit weights feeding integer ops (<c>WeightRange</c>).</summary>
internal enum WeightRange { Portable, Full }

/// <summary>Magnitude pruning flavour (<c>Pruning</c>).</summary>
internal enum PruningMethod { None, Unstructured, Global, TwoFour, Channel }

/// <summary>Offline ONNX Runtime graph optimisation level (<c>Optimize</c>).</summary>
internal enum GraphOptimization { None, Basic, Extended, All }

/// <summary>The file format written (<c>Format</c>).</summary>
internal enum ModelFormat { Onnx, Ort }

/// <summary>
/// The validated, defaults-resolved settings of one <c>CompressedModel</c> item. Optional values that
/// depend on the rest (Mode, PerChannel, Symmetric...) are already resolved here, so the engine and the
/// settings hash see one canonical form whatever the user spelled.
/// </summary>
internal sealed record ModelItemSettings
{
    public required Quantization Quantize { get; init; }
    public QuantizationMode? Mode { get; init; }
    public bool? PerChannel { get; init; }
    public bool? Symmetric { get; init; }
    public int? BlockSize { get; init; }
    public int? AccuracyLevel { get; init; }
    public WeightRange? WeightRange { get; init; }
    public double Sparsity { get; init; }
    public PruningMethod Pruning { get; init; }
    public string? CalibrationData { get; init; }
    public IReadOnlyList<string> CalibrationFiles { get; init; } = [];
    public string? ValidationData { get; init; }
    public IReadOnlyList<string> ValidationFiles { get; init; } = [];
    public bool Validate { get; init; } = true;
    public string? Tolerance { get; init; }
    public bool AutoFallback { get; init; }
    public IReadOnlyList<string> ExcludeNodes { get; init; } = [];
    public IReadOnlyList<string> ExcludeOps { get; init; } = [];
    public GraphOptimization Optimize { get; init; }
    public ModelFormat Format { get; init; }
    public int? TargetOpset { get; init; }

    /// <summary>The canonical spelling of the values, as documented (<c>2:4</c>, not <c>TwoFour</c>).</summary>
    public static string Spell(PruningMethod pruning) => pruning == PruningMethod.TwoFour ? "2:4" : pruning.ToString();

    /// <summary>
    /// Everything that changes the compressed bytes, one <c>key=value</c> a line, invariant culture.
    /// Its hash is an input of the compression target: when it changes, the model is compressed again.
    /// Names (ClassName, Namespace, GenerateWrapper) are left out: they only change the manifest.
    /// </summary>
    public string ToCanonicalText()
    {
        var text = new StringBuilder();
        Line(text, "Quantize", Quantize.ToString());
        Line(text, "Mode", Mode?.ToString());
        Line(text, "PerChannel", Bool(PerChannel));
        Line(text, "Symmetric", Bool(Symmetric));
        Line(text, "BlockSize", BlockSize?.ToString(CultureInfo.InvariantCulture));
        Line(text, "AccuracyLevel", AccuracyLevel?.ToString(CultureInfo.InvariantCulture));
        Line(text, "WeightRange", WeightRange?.ToString());
        Line(text, "Sparsity", Sparsity.ToString("R", CultureInfo.InvariantCulture));
        Line(text, "Pruning", Spell(Pruning));
        Line(text, "CalibrationData", CalibrationData);
        Line(text, "ValidationData", ValidationData);
        Line(text, "Validate", Bool(Validate));
        Line(text, "Tolerance", Tolerance);
        Line(text, "AutoFallback", Bool(AutoFallback));
        Line(text, "ExcludeNodes", string.Join(";", ExcludeNodes));
        Line(text, "ExcludeOps", string.Join(";", ExcludeOps));
        Line(text, "Optimize", Optimize.ToString());
        Line(text, "Format", Format.ToString());
        Line(text, "TargetOpset", TargetOpset?.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static string? Bool(bool? value) => value switch { null => null, true => "true", false => "false" };

    private static void Line(StringBuilder text, string key, string? value) => text.Append(key).Append('=').Append(value).Append('\n');
}
