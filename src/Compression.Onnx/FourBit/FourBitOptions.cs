namespace Compression.Onnx.FourBit;

/// <summary>
/// What <see cref="FourBitQuantizer"/> does: <c>Quantize="Int4"</c> or <c>"UInt4"</c> with <c>Mode="WeightOnly"</c>,
/// <c>BlockSize</c>, <c>AccuracyLevel</c>, <c>ExcludeNodes</c> and <c>ExcludeOps</c> of a <c>CompressedModel</c> item.
/// </summary>
public sealed record FourBitOptions
{
    /// <summary>Signed 4-bit (<c>Int4</c>, symmetric by default) or unsigned (<c>UInt4</c>, asymmetric by default): the <c>Quantize</c> item metadata.</summary>
    public FourBitType Quantize { get; init; } = FourBitType.Int4;

    /// <summary>Zero point fixed at the middle of the range; <see langword="null"/> means the type's default (see <see cref="EffectiveSymmetric"/>).</summary>
    public bool? Symmetric { get; init; }

    /// <summary>Weights sharing one scale, along the reduction axis: a power of two, at least 16 (default 32).</summary>
    public int BlockSize { get; init; } = 32;

    /// <summary>
    /// <c>MatMulNBits</c>' <c>accuracy_level</c>: the lowest precision ONNX Runtime may compute A in: 0 unset, 1 fp32,
    /// 2 fp16, 3 bf16, 4 int8. Default 4: on x64 CPUs it is the fast path (see docs/reports/int4.md).
    /// </summary>
    public int AccuracyLevel { get; init; } = 4;

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
    public bool EffectiveSymmetric => Symmetric ?? Quantize == FourBitType.Int4;

    /// <summary>The requested type's name, for messages: <c>Int4</c> or <c>UInt4</c>.</summary>
    public string TypeName => Quantize.ToString();

    /// <summary>Checks the options, with coded errors naming the bad value.</summary>
    /// <param name="filePath">The model, for the error.</param>
    /// <exception cref="CompressionException">CMP4400 for a bad block size, CMP4401 for a bad accuracy level.</exception>
    public void Validate(string? filePath)
    {
        if (BlockSize < 16 || (BlockSize & (BlockSize - 1)) != 0)
        {
            throw new CompressionException(
                DiagnosticCodes.InvalidBlockSize,
                $"BlockSize={BlockSize} is not valid for {TypeName}: it must be a power of two, at least 16.",
                filePath,
                "Use 16, 32 (the default), 64, 128 or 256. Smaller blocks are more accurate and slightly larger.");
        }

        if (AccuracyLevel is < 0 or > 4)
        {
            throw new CompressionException(
                DiagnosticCodes.InvalidAccuracyLevel,
                $"AccuracyLevel={AccuracyLevel} is not valid: ONNX Runtime's MatMulNBits accepts 0 (unset), 1 (fp32), 2 (fp16), 3 (bf16) or 4 (int8).",
                filePath,
                "Use 4 (the default, fastest on CPU) or 0/1 to keep the activations in float32.");
        }
    }
}
