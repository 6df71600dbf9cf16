using Compression.Onnx.Quantization;
using Compression.Onnx.Settings;

namespace Compression.Onnx;

/// <summary>
/// What to do to a model: one property per engine setting of <see cref="SettingsSchema"/> (the names, allowed
/// values, defaults and rules live there; see docs/architecture.md). The defaults are the item's defaults, so
/// <c>new CompressionSettings { Quantize = QuantizationType.Int8 }</c> is what <c>Quantize="Int8"</c> means in a
/// project file; <see cref="SettingsBinder"/> makes one from strings.
/// </summary>
public sealed record CompressionSettings
{
    /// <summary>Weight (and activation) precision; <see cref="QuantizationType.None"/> keeps the weights as they are.</summary>
    public QuantizationType Quantize { get; init; }

    /// <summary>How the quantization is applied; <see cref="QuantizationMode.Default"/> picks the type's default (see <see cref="EffectiveMode"/>).</summary>
    public QuantizationMode Mode { get; init; }

    /// <summary>One scale per output channel where the runtime supports it (default <see langword="true"/>).</summary>
    public bool PerChannel { get; init; } = SettingsSchema.PerChannel.Default!.Value;

    /// <summary>Zero point fixed at the middle of the range; <see langword="null"/> means the type's default
    /// (symmetric for signed types, asymmetric for unsigned ones).</summary>
    public bool? Symmetric { get; init; }

    /// <summary>
    /// The range of signed 8-bit weights feeding integer MatMul ops: <see cref="WeightRange.Portable"/> (7-bit, exact on
    /// every CPU) by default, <see cref="WeightRange.Full"/> for fleets whose CPUs all accumulate int8 products in 32 bits.
    /// </summary>
    public WeightRange WeightRange { get; init; }

    /// <summary>
    /// How a dynamically quantized MatMul/Gemm is written. Fused (<c>com.microsoft</c> <c>DynamicQuantizeMatMul</c>)
    /// measured as fast or faster than the plain ONNX chain in ONNX Runtime 1.31 (up to 1.6x at batch 32;
    /// docs/reports/passes.md) and works at any opset; the plain chain stays available for other runtimes and tests.
    /// Internal: not an item metadata.
    /// </summary>
    internal IntegerMatMulForm MatMulForm { get; init; } = IntegerMatMulForm.Fused;

    /// <summary>
    /// How weight-only 8-bit weights are expanded back to float: the foldable <c>Cast</c> + <c>Mul</c> chain (default,
    /// float speed in ONNX Runtime) or <c>DequantizeLinear</c> where the opset allows. Internal: not an item metadata;
    /// tests and benchmarks pass it to compare the forms.
    /// </summary>
    internal WeightOnlyForm WeightOnlyForm { get; init; } = WeightOnlyForm.Foldable;

    /// <summary>Elements sharing one scale in 4-bit block quantization (<see cref="SettingsSchema.BlockSize"/>: a power of two, 16 to 4096; default 32).</summary>
    public int BlockSize { get; init; } = SettingsSchema.BlockSize.Default!.Value;

    /// <summary>
    /// <c>accuracy_level</c> of ONNX Runtime's <c>MatMulNBits</c> for 4-bit quantization: the precision its CPU kernel
    /// computes in (0 unset, 1 fp32, 2 fp16, 3 bf16, 4 int8). Default 4 (<see cref="SettingsSchema.AccuracyLevel"/>), measured
    /// fastest on CPU (docs/reports/int4.md) at an output error indistinguishable from level 1 on the evidence models.
    /// </summary>
    public int AccuracyLevel { get; init; } = SettingsSchema.AccuracyLevel.Default!.Value;

    /// <summary>Fraction of weights removed by pruning, 0 to 0.99.</summary>
    public double Sparsity { get; init; }

    /// <summary>How weights are chosen for removal when <see cref="Sparsity"/> is above zero.</summary>
    public PruningMethod Pruning { get; init; }

    /// <summary>Folder of calibration inputs, <c>test_data_set_*/input_*.pb</c> or <c>set_*/INPUT.npy</c>, for <see cref="QuantizationMode.Static"/>
    /// and the bias correction of <see cref="PruningMethod.Channel"/> (<see cref="SettingsSchema.ReadsCalibrationData"/>), and validation when there is no <see cref="ValidationDataPath"/>.</summary>
    public string? CalibrationDataPath { get; init; }

    /// <summary>How <see cref="QuantizationMode.Static"/> chooses activation ranges from <see cref="CalibrationDataPath"/> (docs/reports/static.md).</summary>
    public CalibrationMethod CalibrationMethod { get; init; }

    /// <summary>Folder of validation inputs (same layouts); <see langword="null"/> uses <see cref="CalibrationDataPath"/>, else synthesises inputs from the model's signature.</summary>
    public string? ValidationDataPath { get; init; }

    /// <summary>Run the original and the compressed model in ONNX Runtime and report the deviation (default <see langword="true"/>).</summary>
    public bool Validate { get; init; } = SettingsSchema.Validate.Default!.Value;

    /// <summary>
    /// The accuracy budget per output (grammar in <see cref="Validation.Tolerance.AccuracyBudget"/>): e.g. <c>cosine&gt;=0.995</c>,
    /// <c>output:maxabs&lt;=0.02;stateN:cosine&gt;=0.98</c>, or a plain number for the largest |difference|. A miss is error
    /// CMP4012; <see langword="null"/> only reports.
    /// </summary>
    public string? Tolerance { get; init; }

    /// <summary>Keep the most sensitive nodes in float until <see cref="Tolerance"/> is met instead of failing.</summary>
    public bool AutoFallback { get; init; }

    /// <summary>Names of nodes whose weights and computation stay in float.</summary>
    public IReadOnlyList<string> ExcludeNodes { get; init; } = [];

    /// <summary>Operator types (for example <c>MatMul</c>) whose nodes stay in float.</summary>
    public IReadOnlyList<string> ExcludeOps { get; init; } = [];

    /// <summary>Offline ONNX Runtime graph optimisation.</summary>
    public OptimizationLevel Optimize { get; init; }

    /// <summary>File format of the compressed model.</summary>
    public ModelFormat Format { get; init; }

    /// <summary>Default-domain opset to convert the model to; <see langword="null"/> keeps the model's own.</summary>
    public int? TargetOpset { get; init; }

    /// <summary>Weights with fewer elements than this stay in float32; <see langword="null"/> means the type's default
    /// (see <see cref="EffectiveMinimumWeightElements"/>).</summary>
    public int? MinimumWeightElements { get; init; }

    /// <summary>
    /// <see cref="MinimumWeightElements"/>, or the type's default: 256 for integer types (a tiny tensor gains little
    /// next to its scales and is often sensitive: biases, gains), 16 for Float16/BFloat16 (no scales, only a Cast).
    /// </summary>
    public int EffectiveMinimumWeightElements => MinimumWeightElements ?? (Quantize is QuantizationType.Float16 or QuantizationType.BFloat16 ? 16 : 256);

    /// <summary>Number of synthesised validation inputs when <see cref="ValidationDataPath"/> is not set. Default 4.</summary>
    public int ValidationSampleCount { get; init; } = 4;

    /// <summary>The mode actually used: <see cref="Mode"/>, or the type's default (<see cref="SettingsSchema.ModesFor"/>) when it is <see cref="QuantizationMode.Default"/>.</summary>
    public QuantizationMode EffectiveMode => Mode != QuantizationMode.Default ? Mode : SettingsSchema.ModesFor(Quantize) is [var first, ..] ? first : QuantizationMode.Default;

    /// <summary>Whether the zero point is fixed: <see cref="Symmetric"/>, or the type's default (signed types are symmetric).</summary>
    public bool EffectiveSymmetric => Symmetric ?? Quantize is QuantizationType.Int8 or QuantizationType.Int4;
}
