using Compression.Onnx.Validation.Tolerance;

namespace Compression.Onnx.Settings;

/// <summary>
/// The one table of <c>CompressedModel</c> settings: name, type, allowed values, default, docs text and where
/// the value lives in <see cref="CompressionSettings"/>. The MSBuild adapter binds item metadata to it, the
/// <c>compress-model</c> command line binds <see cref="Setting.OptionName"/> options to it (both through
/// <see cref="SettingsBinder"/>), docs/metadata.md is generated from it. The cross-field rules are in
/// <see cref="SettingsBinder"/> and the predicates below. To add a setting, see docs/architecture.md.
/// </summary>
public static class SettingsSchema
{
    /// <summary><c>Quantize</c>: the weight/activation precision.</summary>
    public static readonly ChoiceSetting<QuantizationType> Quantize = new(
        "Quantize", SettingGroup.Compression,
        [("None", QuantizationType.None), ("Int8", QuantizationType.Int8), ("UInt8", QuantizationType.UInt8), ("Int4", QuantizationType.Int4),
         ("UInt4", QuantizationType.UInt4), ("Float16", QuantizationType.Float16), ("BFloat16", QuantizationType.BFloat16)],
        "`None`",
        "Weight (and, with `Mode=Dynamic`/`Static`, activation) precision.")
    {
        Get = s => s.Quantize,
        Set = (s, v) => s with { Quantize = (QuantizationType)v! },
    };

    /// <summary><c>Mode</c>: how the precision is applied; its default depends on <see cref="Quantize"/> (<see cref="ModesFor"/>).</summary>
    public static readonly ChoiceSetting<QuantizationMode> Mode = new(
        "Mode", SettingGroup.Compression,
        [("Dynamic", QuantizationMode.Dynamic), ("WeightOnly", QuantizationMode.WeightOnly), ("Static", QuantizationMode.Static), ("Full", QuantizationMode.Full)],
        "`Dynamic` for `Int8`/`UInt8`; `WeightOnly` for `Int4`/`UInt4`, `Float16`, `BFloat16`",
        "How the precision is applied. `Dynamic`: int8 weights, activations quantized at run time (integer MatMul/Conv). `WeightOnly`: only the stored weights shrink; they are expanded before use. `Static`: activations quantized with ranges measured on `CalibrationData` (8-bit only). `Full`: the whole computation in 16-bit floats (`Float16`/`BFloat16` only). Any other combination is CMP2004.")
    {
        Get = s => s.Mode == QuantizationMode.Default ? null : s.Mode,
        Set = (s, v) => s with { Mode = (QuantizationMode)v! },
    };

    /// <summary><c>PerChannel</c>: one scale per output channel.</summary>
    public static readonly BooleanSetting PerChannel = new(
        "PerChannel", SettingGroup.Compression, true,
        "One scale per output channel instead of one per tensor. Integer `Quantize` only.",
        "`true` (where the runtime supports it)")
    {
        Get = s => s.PerChannel,
        Set = (s, v) => s with { PerChannel = (bool)v! },
    };

    /// <summary><c>Symmetric</c>: zero point fixed; its default depends on the type's signedness.</summary>
    public static readonly BooleanSetting Symmetric = new(
        "Symmetric", SettingGroup.Compression, null,
        "Zero point fixed at 0 (signed) or the middle of the range. Integer `Quantize` only.",
        "`true` for signed types (`Int8`, `Int4`), `false` for unsigned")
    {
        Get = s => s.Symmetric,
        Set = (s, v) => s with { Symmetric = (bool)v! },
    };

    /// <summary><c>BlockSize</c>: elements sharing one scale in 4-bit quantization.</summary>
    public static readonly IntegerSetting BlockSize = new(
        "BlockSize", SettingGroup.Compression, 16, 4096, 32,
        "a power of two from 16 to 4096", "power of two, 16 .. 4096", "`32`",
        "Elements sharing one scale in 4-bit quantization. `Int4`/`UInt4` only.",
        size => (size & (size - 1)) == 0)
    {
        Get = s => s.BlockSize,
        Set = (s, v) => s with { BlockSize = (int)v! },
    };

    /// <summary><c>AccuracyLevel</c>: <c>MatMulNBits</c>' compute precision.</summary>
    public static readonly IntegerSetting AccuracyLevel = new(
        "AccuracyLevel", SettingGroup.Compression, 0, 4, 4,
        "an integer from 0 to 4 (MatMulNBits accuracy_level)", "`0` .. `4`", "`4`",
        "`accuracy_level` of ONNX Runtime's `MatMulNBits`: the precision its CPU kernel computes in (0 unset, 1 fp32, 2 fp16, 3 bf16, 4 int8; 4 measured fastest, see docs/reports/int4.md). `Int4`/`UInt4` only.")
    {
        Get = s => s.AccuracyLevel,
        Set = (s, v) => s with { AccuracyLevel = (int)v! },
    };

    /// <summary><c>WeightRange</c>: the range of signed 8-bit weights feeding integer MatMul ops (docs/cpu-portability.md).</summary>
    public static readonly ChoiceSetting<WeightRange> WeightRange = new(
        "WeightRange", SettingGroup.Compression,
        [("Portable", Onnx.WeightRange.Portable), ("Full", Onnx.WeightRange.Full)],
        "`Portable`",
        "Range of the int8 weights of integer MatMul/Gemm (`DynamicQuantizeMatMul`, `MatMulInteger`). `Portable`: 7-bit, [-64, 64] (ONNX Runtime's `reduce_range`), exact on every CPU. `Full`: [-127, 127], one more bit of weight precision, but exact only where ONNX Runtime's int8 kernels accumulate in 32 bits (AVX-512 VNNI, AVX-VNNI, AMX, arm64): on AVX2-only x86 and AVX-512 without VNNI, pairs of products saturate in int16 and outputs go wrong; the build line says when `Full` was used. `ConvInteger` weights (stored as uint8), `UInt8` and weight-only weights always use the full 8 bits: their kernels cannot overflow. See [CPU portability](cpu-portability.md). `Int8`/`UInt8` only.")
    {
        Get = s => s.WeightRange,
        Set = (s, v) => s with { WeightRange = (WeightRange)v! },
    };

    /// <summary><c>Sparsity</c>: fraction of weights removed by pruning.</summary>
    public static readonly NumberSetting Sparsity = new(
        "Sparsity", SettingGroup.Compression, 0, 0.99,
        "a number from 0 to 0.99", "`0` .. `0.99`", "`0`",
        "Fraction of the weights removed by pruning.")
    {
        Get = s => s.Sparsity,
        Set = (s, v) => s with { Sparsity = (double)v! },
    };

    /// <summary><c>Pruning</c>: how weights are chosen for removal; <c>None</c> (no value) means no pruning.</summary>
    public static readonly ChoiceSetting<PruningMethod?> Pruning = new(
        "Pruning", SettingGroup.Compression,
        [("Unstructured", PruningMethod.Unstructured), ("Global", PruningMethod.Global), ("2:4", PruningMethod.TwoOfFour),
         ("Channel", PruningMethod.Channel), ("None", null)],
        "`Unstructured` when `Sparsity` > 0, else `None`",
        "Magnitude pruning: per tensor, across all tensors, two of every four consecutive weights (implies `Sparsity=0.5`), or whole output channels/neurons (the model really shrinks). Any value but `None`/`2:4` needs `Sparsity` > 0.")
    {
        Get = s => s.Sparsity > 0 ? s.Pruning : null,
        Set = (s, v) => v is PruningMethod method ? s with { Pruning = method } : s,
    };

    /// <summary><c>ExcludeNodes</c>: nodes kept in float.</summary>
    public static readonly TextSetting ExcludeNodes = new(
        "ExcludeNodes", SettingGroup.Compression, SettingKind.List, "`;` list of node names", "empty",
        "Nodes kept in float. The engine checks that each name exists (CMP4004). Needs a `Quantize`.")
    {
        Get = s => s.ExcludeNodes,
        Set = (s, v) => s with { ExcludeNodes = (string[])v! },
    };

    /// <summary><c>ExcludeOps</c>: operator types kept in float.</summary>
    public static readonly TextSetting ExcludeOps = new(
        "ExcludeOps", SettingGroup.Compression, SettingKind.List, "`;` list of operator types (`MatMul;Conv`)", "empty",
        "Operator types kept in float (CMP4003 when the model has none). Needs a `Quantize`.")
    {
        Get = s => s.ExcludeOps,
        Set = (s, v) => s with { ExcludeOps = (string[])v! },
    };

    /// <summary><c>CalibrationData</c>: a folder of real inputs, for the settings that learn from data (<see cref="ReadsCalibrationData"/>).</summary>
    public static readonly TextSetting CalibrationData = new(
        "CalibrationData", SettingGroup.Compression, SettingKind.Folder, "folder", "none",
        "Calibration inputs, one folder per sample: `test_data_set_*/input_*.pb` (serialized `TensorProto`) or `set_*/INPUTNAME.npy` (numpy); read one sample at a time; bad files are CMP420x. Required by `Mode=Static` (CMP2005); read by `Pruning=Channel` for bias correction; ignored with a warning otherwise (CMP2011). When it is used, it is also the validation inputs unless `ValidationData` is given.")
    {
        Get = s => s.CalibrationDataPath,
        Set = (s, v) => s with { CalibrationDataPath = (string)v! },
    };

    /// <summary><c>Optimize</c>: offline graph optimisation.</summary>
    public static readonly ChoiceSetting<OptimizationLevel> Optimize = new(
        "Optimize", SettingGroup.Compression,
        [("None", OptimizationLevel.None), ("Basic", OptimizationLevel.Basic), ("Extended", OptimizationLevel.Extended), ("All", OptimizationLevel.All)],
        "`None`",
        "Offline ONNX Runtime graph optimisation of the compressed model.")
    {
        Get = s => s.Optimize,
        Set = (s, v) => s with { Optimize = (OptimizationLevel)v! },
    };

    /// <summary><c>Format</c>: the file format written.</summary>
    public static readonly ChoiceSetting<ModelFormat> Format = new(
        "Format", SettingGroup.Compression,
        [("Onnx", ModelFormat.Onnx), ("Ort", ModelFormat.Ort)],
        "`Onnx`",
        "`Ort` has ONNX Runtime 1.31 write its flatbuffer format after compression (loads in 1.31 and later ONNX Runtime only); the output and `TargetPath` keep their path and end in `.ort`, validation and the generated class use the `.ort` file. Equivalent but not byte-identical from build to build (docs/reports/conversion.md).")
    {
        Get = s => s.Format,
        Set = (s, v) => s with { Format = (ModelFormat)v! },
    };

    /// <summary><c>TargetOpset</c>: the default-domain opset to convert to.</summary>
    public static readonly IntegerSetting TargetOpset = new(
        "TargetOpset", SettingGroup.Compression, 1, 1000, null,
        "a positive ONNX opset version, e.g. 17", "opset number", "the model's own",
        "Converts the default-domain opset up or down (7 to 26, what ONNX Runtime 1.31 runs) before compressing, so the passes use the forms the new opset allows (integer convs from 11, `Cast` to bfloat16 from 13, blocked 4-bit `DequantizeLinear` from 21). A node that cannot cross a schema change is CMP4701 naming the op and both opsets (docs/reports/conversion.md).")
    {
        Get = s => s.TargetOpset,
        Set = (s, v) => s with { TargetOpset = (int)v! },
    };

    /// <summary><c>Validate</c>: compare original and compressed in ONNX Runtime.</summary>
    public static readonly BooleanSetting Validate = new(
        "Validate", SettingGroup.Validation, true,
        "Run the original and the compressed model on the same inputs and report the largest absolute output difference (`max \\|d\\|`) and cosine similarity.")
    {
        Get = s => s.Validate,
        Set = (s, v) => s with { Validate = (bool)v! },
    };

    /// <summary><c>ValidationData</c>: a folder of validation inputs.</summary>
    public static readonly TextSetting ValidationData = new(
        "ValidationData", SettingGroup.Validation, SettingKind.Folder, "folder", "`CalibrationData`, else inputs synthesised from the model's signature",
        "Validation inputs in either sample layout of `CalibrationData` (CMP2010 when missing or empty, CMP420x for bad files). Not with `Validate=false` (CMP2004).")
    {
        Get = s => s.ValidationDataPath,
        Set = (s, v) => s with { ValidationDataPath = (string)v! },
    };

    /// <summary><c>Tolerance</c>: the accuracy budget per output, in <see cref="AccuracyBudget"/>'s grammar (CMP4210 outside it).</summary>
    public static readonly TextSetting Tolerance = new(
        "Tolerance", SettingGroup.Validation, SettingKind.Text,
        "`;`-separated rules `[output:]metric op bound`: `cosine>=0.995`, `top1>=0.99`, `maxabs<=0.02`, `meanabs<=0.001`, e.g. `output:maxabs<=0.02;stateN:cosine>=0.98`; or a plain number = `maxabs<=` it",
        "none (report only)",
        "The accuracy budget per output (metrics in docs/diagnostics.md, CMP42xx); a miss fails the build (CMP4012) naming output, metric and value; bad grammar is CMP4210; checked on synthesised integer inputs it warns (CMP4212). Not with `Validate=false` (CMP2004).",
        raw => AccuracyBudget.TryParse(raw, out _, out string? error) ? null : new SettingProblem(
            DiagnosticCodes.InvalidTolerance, "Tolerance", $"Tolerance=\"{raw}\" is not valid: {error}.", AccuracyBudget.GrammarHelp))
    {
        Get = s => s.Tolerance,
        Set = (s, v) => s with { Tolerance = (string)v! },
    };

    /// <summary><c>AutoFallback</c>: keep sensitive nodes in float until <see cref="Tolerance"/> is met.</summary>
    public static readonly BooleanSetting AutoFallback = new(
        "AutoFallback", SettingGroup.Validation, false,
        "Keep the most sensitive nodes in float until `Tolerance` is met instead of failing. Needs `Tolerance` (CMP2004).")
    {
        Get = s => s.AutoFallback,
        Set = (s, v) => s with { AutoFallback = (bool)v! },
    };

    /// <summary><c>ClassName</c> of the generated class (bound by the MSBuild adapter).</summary>
    public static readonly TextSetting ClassName = new(
        "ClassName", SettingGroup.Output, SettingKind.Text, "C# identifier",
        "file stem in PascalCase: `silero_vad_v5.onnx` -> `SileroVadV5`, `ch_ppocr_mobile_v2.0_cls_infer.onnx` -> `ChPpocrMobileV20ClsInfer`; a leading digit gets a `Model` prefix",
        "Name of the generated class (CMP2007 when not an identifier; CMP2009 when two items generate the same class).");

    /// <summary><c>Namespace</c> of the generated class (bound by the MSBuild adapter).</summary>
    public static readonly TextSetting Namespace = new(
        "Namespace", SettingGroup.Output, SettingKind.Text, "dotted C# name", "`$(RootNamespace)`",
        "Namespace of the generated class.");

    /// <summary><c>GenerateWrapper</c>: emit the typed class.</summary>
    public static readonly BooleanSetting GenerateWrapper = new(
        "GenerateWrapper", SettingGroup.Output, true,
        "Emit the typed class (the manifest is not passed to the generator when `false`).");

    /// <summary><c>Embed</c>: embed the model as a resource.</summary>
    public static readonly BooleanSetting Embed = new(
        "Embed", SettingGroup.Output, false,
        "Embed the compressed model as a manifest resource named after `TargetPath` (e.g. `models/silero_vad_v5.onnx`) instead of copying it to the output folder.");

    /// <summary><c>TargetPath</c>: where the model lands under the output folder (bound by the MSBuild adapter).</summary>
    public static readonly TextSetting TargetPath = new(
        "TargetPath", SettingGroup.Output, SettingKind.Text, "relative path",
        "the `Include` relative to the project (or its `Link`); the file name for models outside the project folder",
        "Where the compressed model lands under `$(OutDir)` and the publish folder. Must stay under it and be unique in the project (CMP2008).");

    /// <summary>Every setting, in docs order.</summary>
    public static IReadOnlyList<Setting> All { get; } =
    [
        Quantize, Mode, PerChannel, Symmetric, BlockSize, AccuracyLevel, WeightRange, Sparsity, Pruning, ExcludeNodes, ExcludeOps, CalibrationData,
        Optimize, Format, TargetOpset,
        Validate, ValidationData, Tolerance, AutoFallback,
        ClassName, Namespace, GenerateWrapper, Embed, TargetPath,
    ];

    private static readonly Dictionary<string, Setting> s_byName = All.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
    private static readonly Dictionary<string, Setting> s_byOption = All.ToDictionary(s => s.OptionName, StringComparer.OrdinalIgnoreCase);

    /// <summary>The setting named <paramref name="name"/> (metadata name, case-insensitive), or null.</summary>
    public static Setting? Find(string name) => s_byName.GetValueOrDefault(name);

    /// <summary>The setting whose <see cref="Setting.OptionName"/> is <paramref name="option"/> (without <c>--</c>), or null.</summary>
    public static Setting? FindOption(string option) => s_byOption.GetValueOrDefault(option);

    /// <summary>The modes <paramref name="quantize"/> can be applied with, its default first: 8-bit all but Full, 4-bit weight-only, 16-bit floats weight-only (stored in 16 bits) or Full (computed in 16 bits).</summary>
    public static IReadOnlyList<QuantizationMode> ModesFor(QuantizationType quantize) => quantize switch
    {
        QuantizationType.None => [],
        QuantizationType.Int8 or QuantizationType.UInt8 => s_eightBitModes,
        QuantizationType.Int4 or QuantizationType.UInt4 => s_fourBitModes,
        _ => s_sixteenBitModes,
    };

    private static readonly QuantizationMode[] s_eightBitModes = [QuantizationMode.Dynamic, QuantizationMode.WeightOnly, QuantizationMode.Static];
    private static readonly QuantizationMode[] s_fourBitModes = [QuantizationMode.WeightOnly];
    private static readonly QuantizationMode[] s_sixteenBitModes = [QuantizationMode.WeightOnly, QuantizationMode.Full];

    /// <summary>Whether <paramref name="quantize"/> is an integer type (<see cref="PerChannel"/>, <see cref="Symmetric"/> apply).</summary>
    public static bool IsInteger(QuantizationType quantize) => quantize is QuantizationType.Int8 or QuantizationType.UInt8 or QuantizationType.Int4 or QuantizationType.UInt4;

    /// <summary>Whether <paramref name="quantize"/> is 8-bit integer (<see cref="WeightRange"/> applies).</summary>
    public static bool IsEightBit(QuantizationType quantize) => quantize is QuantizationType.Int8 or QuantizationType.UInt8;

    /// <summary>Whether <paramref name="quantize"/> is 4-bit (<see cref="BlockSize"/>, <see cref="AccuracyLevel"/> apply).</summary>
    public static bool IsFourBit(QuantizationType quantize) => quantize is QuantizationType.Int4 or QuantizationType.UInt4;

    /// <summary>Whether the settings read <see cref="CalibrationData"/>: static quantization, and channel pruning's bias correction.</summary>
    public static bool ReadsCalibrationData(CompressionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Mode == QuantizationMode.Static || (settings.Sparsity > 0 && settings.Pruning == PruningMethod.Channel);
    }

    /// <summary>The setting closest to a misspelt name, or null when none is close (edit distance &lt;= 2).</summary>
    public static Setting? Closest(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Setting? best = null;
        int bestDistance = 3;
        foreach (Setting candidate in All)
        {
            int distance = EditDistance(name.ToUpperInvariant(), candidate.Name.ToUpperInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    private static int EditDistance(string a, string b)
    {
        Span<int> previous = stackalloc int[b.Length + 1];
        Span<int> current = stackalloc int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            current.CopyTo(previous);
        }

        return previous[b.Length];
    }
}
