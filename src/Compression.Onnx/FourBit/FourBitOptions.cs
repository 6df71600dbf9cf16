using Compression.Onnx.Settings;

namespace Compression.Onnx.FourBit;

/// <summary>
/// What <see cref="FourBitQuantizer"/> does: the 4-bit part of <see cref="CompressionSettings"/> (<see cref="From"/>)
/// plus the quantizer's own knobs. Defaults and rules are <see cref="SettingsSchema"/>'s.
/// </summary>
public sealed record FourBitOptions
{
    /// <summary><see cref="QuantizationType.Int4"/> (signed, symmetric by default) or <see cref="QuantizationType.UInt4"/> (unsigned, asymmetric by default).</summary>
    public QuantizationType Quantize { get; init; } = QuantizationType.Int4;

    /// <summary>Zero point fixed at the middle of the range; <see langword="null"/> means the type's default (see <see cref="EffectiveSymmetric"/>).</summary>
    public bool? Symmetric { get; init; }

    /// <summary>Weights sharing one scale, along the reduction axis (<see cref="SettingsSchema.BlockSize"/>).</summary>
    public int BlockSize { get; init; } = SettingsSchema.BlockSize.Default!.Value;

    /// <summary><c>MatMulNBits</c>' <c>accuracy_level</c> (<see cref="SettingsSchema.AccuracyLevel"/>; see docs/reports/int4.md).</summary>
    public int AccuracyLevel { get; init; } = SettingsSchema.AccuracyLevel.Default!.Value;

    /// <summary>
    /// Per block, search the clipping range with the least squared error instead of plain round-to-nearest over
    /// the block's full range (default <see langword="true"/>: it never increases a block's error and lowers the
    /// output error measurably, see docs/reports/int4.md).
    /// </summary>
    public bool SearchScales { get; init; } = true;

    /// <summary>Weights with fewer elements stay in float (default 256): a tiny tensor gains little next to its scales.</summary>
    public int MinimumWeightElements { get; init; } = 256;

    /// <summary>Names of nodes whose weights stay in float.</summary>
    public IReadOnlyList<string> ExcludeNodes { get; init; } = [];

    /// <summary>Operator types whose weights stay in float.</summary>
    public IReadOnlyList<string> ExcludeOps { get; init; } = [];

    /// <summary>Whether the zero point is fixed: <see cref="Symmetric"/>, or the type's default (Int4 symmetric, UInt4 not).</summary>
    public bool EffectiveSymmetric => Symmetric ?? Quantize == QuantizationType.Int4;

    /// <summary>The requested type's name, for messages: <c>Int4</c> or <c>UInt4</c>.</summary>
    public string TypeName => Quantize.ToString();

    /// <summary>The 4-bit options of pipeline settings (<c>Quantize="Int4"</c>/<c>"UInt4"</c>).</summary>
    /// <param name="settings">Settings whose <see cref="CompressionSettings.Quantize"/> is a 4-bit type.</param>
    public static FourBitOptions From(CompressionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new FourBitOptions
        {
            Quantize = settings.Quantize,
            Symmetric = settings.Symmetric,
            BlockSize = settings.BlockSize,
            AccuracyLevel = settings.AccuracyLevel,
            MinimumWeightElements = settings.EffectiveMinimumWeightElements,
            ExcludeNodes = settings.ExcludeNodes,
            ExcludeOps = settings.ExcludeOps,
        };
    }

    /// <summary>Checks the options, with coded errors naming the bad value.</summary>
    /// <param name="filePath">The model, for the error.</param>
    /// <exception cref="CompressionException">CMP4400 for a bad block size, CMP4401 for a bad accuracy level.</exception>
    public void Validate(string? filePath)
    {
        if (!SettingsSchema.IsFourBit(Quantize))
        {
            throw new InvalidOperationException($"FourBitOptions.Quantize must be Int4 or UInt4, not {Quantize}.");
        }

        if (!SettingsSchema.BlockSize.IsValid(BlockSize))
        {
            throw new CompressionException(
                DiagnosticCodes.InvalidBlockSize,
                $"BlockSize={BlockSize} is not valid for {TypeName}: it must be {SettingsSchema.BlockSize.Expected}.",
                filePath,
                "Use 16, 32 (the default), 64, 128 or 256. Smaller blocks are more accurate and slightly larger.");
        }

        if (!SettingsSchema.AccuracyLevel.IsValid(AccuracyLevel))
        {
            throw new CompressionException(
                DiagnosticCodes.InvalidAccuracyLevel,
                $"AccuracyLevel={AccuracyLevel} is not valid: ONNX Runtime's MatMulNBits accepts 0 (unset), 1 (fp32), 2 (fp16), 3 (bf16) or 4 (int8).",
                filePath,
                "Use 4 (the default, fastest on CPU) or 0/1 to keep the activations in float32.");
        }
    }
}
