using System.Globalization;
using Compression.Tasks.Diagnostics;
using Microsoft.Build.Framework;

namespace Compression.Tasks.Metadata;

/// <summary>
/// Reads one <c>CompressedModel</c> item's metadata: every value checked against its allowed values,
/// contradictions between them detected, defaults resolved. It never stops at the first problem, so
/// one build shows everything wrong with an item.
/// </summary>
internal sealed class ModelItemReader
{
    private readonly ITaskItem _item;
    private readonly ProjectContext _project;
    private readonly List<BuildDiagnostic> _diagnostics;
    private readonly string? _file;
    private readonly int _errorsBefore;

    private readonly bool _checkNames;

    private ModelItemReader(ITaskItem item, ProjectContext project, List<BuildDiagnostic> diagnostics, bool checkNames)
    {
        _checkNames = checkNames;
        _item = item;
        _project = project;
        _diagnostics = diagnostics;
        string definingProject = item.GetMetadata("DefiningProjectFullPath");
        _file = definingProject.Length > 0 ? definingProject : null;
        _errorsBefore = diagnostics.Count(d => !d.IsWarning);
    }

    /// <summary>The validated item, or null when it has errors (then added to <paramref name="diagnostics"/>).</summary>
    /// <param name="item">A <c>CompressedModel</c> item.</param>
    /// <param name="project">The declaring project.</param>
    /// <param name="diagnostics">Receives every problem found.</param>
    /// <param name="checkNames">
    /// Whether unknown metadata names are errors: true for the user's items, false when a later task reads
    /// the prepared item again (it carries the paths the sanity check added).
    /// </param>
    public static ModelItem? Read(ITaskItem item, ProjectContext project, List<BuildDiagnostic> diagnostics, bool checkNames = true) =>
        new ModelItemReader(item, project, diagnostics, checkNames).Read();

    private string Include => _item.ItemSpec;

    private ModelItem? Read()
    {
        if (_checkNames)
        {
            CheckMetadataNames();
        }

        string sourcePath = Path.GetFullPath(Path.Combine(_project.ProjectDirectory, Include));
        if (!File.Exists(sourcePath))
        {
            Report(BuildDiagnostics.ModelNotFound(Include, sourcePath, _file));
        }

        Quantization quantize = Enum(MetadataNames.Quantize, Quantization.None, QuantizationNames);
        QuantizationMode? mode = OptionalEnum<QuantizationMode>(MetadataNames.Mode, ModeNames);
        bool? perChannel = OptionalBool(MetadataNames.PerChannel);
        bool? symmetric = OptionalBool(MetadataNames.Symmetric);
        int? blockSize = OptionalBlockSize();
        int? accuracyLevel = OptionalInteger(MetadataNames.AccuracyLevel, 0, 4, "an integer from 0 to 4 (MatMulNBits accuracy_level)");
        WeightRange? weightRange = OptionalEnum<WeightRange>(MetadataNames.WeightRange, WeightRangeNames);
        double sparsity = OptionalNumber(MetadataNames.Sparsity, 0, 0.99, "a number from 0 to 0.99") ?? 0;
        PruningMethod? pruning = OptionalEnum<PruningMethod>(MetadataNames.Pruning, PruningNames);
        bool validate = OptionalBool(MetadataNames.Validate) ?? true;
        string? tolerance = OptionalTolerance();
        bool autoFallback = OptionalBool(MetadataNames.AutoFallback) ?? false;
        string[] excludeNodes = List(MetadataNames.ExcludeNodes);
        string[] excludeOps = List(MetadataNames.ExcludeOps);
        GraphOptimization optimize = Enum(MetadataNames.Optimize, GraphOptimization.None, OptimizeNames);
        ModelFormat format = Enum(MetadataNames.Format, ModelFormat.Onnx, FormatNames);
        int? targetOpset = OptionalInteger(MetadataNames.TargetOpset, 1, 1000, "a positive ONNX opset version, e.g. 17");
        bool generateWrapper = OptionalBool(MetadataNames.GenerateWrapper) ?? true;
        bool embed = OptionalBool(MetadataNames.Embed) ?? false;

        bool integer = quantize is Quantization.Int8 or Quantization.UInt8 or Quantization.Int4 or Quantization.UInt4;
        bool fourBit = quantize is Quantization.Int4 or Quantization.UInt4;
        bool eightBit = quantize is Quantization.Int8 or Quantization.UInt8;
        mode = CheckMode(quantize, mode);
        CheckIntegerOnly(MetadataNames.PerChannel, perChannel, quantize, integer);
        CheckIntegerOnly(MetadataNames.Symmetric, symmetric, quantize, integer);
        if (blockSize is not null && !fourBit)
        {
            Contradiction(
                Format("BlockSize=\"{0}\" applies to 4-bit quantization only, but Quantize=\"{1}\".", blockSize, quantize),
                "Remove BlockSize, or use Quantize=\"Int4\" or \"UInt4\".");
        }

        if (accuracyLevel is not null && !fourBit)
        {
            Contradiction(
                Format("AccuracyLevel=\"{0}\" applies to 4-bit quantization only, but Quantize=\"{1}\".", accuracyLevel, quantize),
                "Remove AccuracyLevel, or use Quantize=\"Int4\" or \"UInt4\".");
        }

        if (weightRange is not null && !eightBit)
        {
            Contradiction(
                Format("WeightRange=\"{0}\" applies to 8-bit quantization only, but Quantize=\"{1}\".", weightRange, quantize),
                "Remove WeightRange, or use Quantize=\"Int8\" or \"UInt8\".");
        }

        pruning = CheckPruning(pruning, ref sparsity);
        if (tolerance is not null && !validate)
        {
            Contradiction("Tolerance needs validation, but Validate=\"false\".", "Remove Tolerance, or remove Validate=\"false\".");
        }

        if (autoFallback && tolerance is null)
        {
            Contradiction("AutoFallback=\"true\" needs a Tolerance to fall back to.", "Add Tolerance (e.g. Tolerance=\"0.01\") or remove AutoFallback.");
        }

        if ((excludeNodes.Length > 0 || excludeOps.Length > 0) && quantize == Quantization.None)
        {
            Contradiction("ExcludeNodes/ExcludeOps keep nodes out of quantization, but Quantize=\"None\".", "Remove them, or set Quantize.");
        }

        (string? calibrationData, IReadOnlyList<string> calibrationFiles) = CalibrationData(mode);
        (string? validationData, IReadOnlyList<string> validationFiles) = TestDataFolder(
            MetadataNames.ValidationData, problem => BuildDiagnostics.ValidationDataMissing(Include, problem, _file));
        if (validationData is not null && !validate)
        {
            Contradiction("ValidationData is given, but Validate=\"false\".", "Remove ValidationData, or remove Validate=\"false\".");
        }

        string className = Identifier(MetadataNames.ClassName, CSharpNames.ClassNameFromFile(Include), CSharpNames.IsIdentifier);
        string ns = Identifier(MetadataNames.Namespace, _project.RootNamespace, CSharpNames.IsNamespace);
        string? targetPath = TargetPath(format);

        if (HasErrors || targetPath is null)
        {
            return null;
        }

        return new ModelItem
        {
            Include = Include,
            SourcePath = sourcePath,
            Settings = new ModelItemSettings
            {
                Quantize = quantize,
                Mode = mode,
                PerChannel = perChannel,
                Symmetric = symmetric,
                BlockSize = blockSize ?? (fourBit ? 32 : null),
                AccuracyLevel = accuracyLevel ?? (fourBit ? 4 : null),
                WeightRange = weightRange ?? (eightBit ? WeightRange.Portable : null),
                Sparsity = sparsity,
                Pruning = pruning ?? PruningMethod.None,
                CalibrationData = calibrationData,
                CalibrationFiles = calibrationFiles,
                ValidationData = validationData,
                ValidationFiles = validationFiles,
                Validate = validate,
                Tolerance = tolerance,
                AutoFallback = autoFallback,
                ExcludeNodes = excludeNodes,
                ExcludeOps = excludeOps,
                Optimize = optimize,
                Format = format,
                TargetOpset = targetOpset,
            },
            ClassName = className,
            Namespace = ns,
            GenerateWrapper = generateWrapper,
            Embed = embed,
            TargetPath = targetPath,
            Paths = ModelOutputPaths.Under(_project.CompressionDirectory, targetPath),
        };
    }

    private bool HasErrors => _diagnostics.Count(d => !d.IsWarning) > _errorsBefore;

    private void CheckMetadataNames()
    {
        foreach (string name in _item.MetadataNames.Cast<string>().Order(StringComparer.Ordinal))
        {
            if (!MetadataNames.IsKnown(name))
            {
                Report(BuildDiagnostics.UnknownMetadata(Include, name, MetadataNames.Suggest(name), _file));
            }
        }
    }

    private QuantizationMode? CheckMode(Quantization quantize, QuantizationMode? mode)
    {
        if (quantize == Quantization.None)
        {
            if (mode is not null)
            {
                Contradiction(
                    Format("Mode=\"{0}\" needs a Quantize type, but Quantize=\"None\".", mode),
                    "Set Quantize (Int8, UInt8, Int4, UInt4, Float16, BFloat16) or remove Mode.");
            }

            return null;
        }

        // Each precision has the modes the runtime can execute: 8-bit all but Full, 4-bit weight-only,
        // 16-bit floats weight-only (stored in 16 bits) or Full (computed in 16 bits).
        QuantizationMode[] allowed = quantize switch
        {
            Quantization.Int8 or Quantization.UInt8 => [QuantizationMode.Dynamic, QuantizationMode.WeightOnly, QuantizationMode.Static],
            Quantization.Int4 or Quantization.UInt4 => [QuantizationMode.WeightOnly],
            _ => [QuantizationMode.WeightOnly, QuantizationMode.Full],
        };
        if (mode is { } requested && !allowed.Contains(requested))
        {
            Contradiction(
                Format("Quantize=\"{0}\" cannot be applied with Mode=\"{1}\".", quantize, requested),
                Format("Use Mode=\"{0}\" with Quantize=\"{1}\", or remove Mode to get its default ({2}).", string.Join("\" or \"", allowed), quantize, allowed[0]));
            return allowed[0];
        }

        return mode ?? allowed[0];
    }

    private void CheckIntegerOnly(string metadata, bool? value, Quantization quantize, bool integer)
    {
        if (value is not null && !integer)
        {
            Contradiction(
                Format("{0} applies to integer quantization only, but Quantize=\"{1}\".", metadata, quantize),
                Format("Remove {0}, or use an integer Quantize value.", metadata));
        }
    }

    private PruningMethod? CheckPruning(PruningMethod? pruning, ref double sparsity)
    {
        if (pruning == PruningMethod.TwoFour)
        {
            // 2:4 removes exactly half of each group of four: the sparsity is implied.
            if (sparsity != 0 && sparsity != 0.5)
            {
                Contradiction(
                    Format("Pruning=\"2:4\" removes exactly half of the weights, but Sparsity=\"{0}\".", sparsity),
                    "Remove Sparsity (2:4 implies 0.5), or choose another Pruning.");
            }

            sparsity = 0.5;
            return pruning;
        }

        if (pruning is not null and not PruningMethod.None && sparsity == 0)
        {
            Contradiction(
                Format("Pruning=\"{0}\" needs a Sparsity above 0.", ModelItemSettings.Spell(pruning.Value)),
                "Add Sparsity (e.g. Sparsity=\"0.5\"), or remove Pruning.");
        }

        if (pruning == PruningMethod.None && sparsity > 0)
        {
            Contradiction(
                Format("Sparsity=\"{0}\" asks for pruning, but Pruning=\"None\".", sparsity),
                "Remove Pruning (defaults to Unstructured), or remove Sparsity.");
        }

        return pruning ?? (sparsity > 0 ? PruningMethod.Unstructured : PruningMethod.None);
    }

    /// <summary>Tolerance in the engine's grammar (one parser: <c>Compression.Onnx.AccuracyBudget</c>); a miss of the grammar is CMP4210.</summary>
    private string? OptionalTolerance()
    {
        string raw = Value(MetadataNames.Tolerance);
        if (raw.Length == 0)
        {
            return null;
        }

        if (!global::Compression.Onnx.AccuracyBudget.TryParse(raw, out _, out string? error))
        {
            Report(new BuildDiagnostic(global::Compression.Onnx.DiagnosticCodes.InvalidTolerance, Format("CompressedModel '{0}': Tolerance=\"{1}\" is not valid: {2}.", Include, raw, error), global::Compression.Onnx.AccuracyBudget.GrammarHelp, _file));
            return null;
        }

        return raw;
    }

    private (string? Folder, IReadOnlyList<string> Files) CalibrationData(QuantizationMode? mode)
    {
        string raw = Value(MetadataNames.CalibrationData);
        if (mode == QuantizationMode.Static && raw.Length == 0)
        {
            Report(BuildDiagnostics.CalibrationDataMissing(Include, "Mode=\"Static\" needs CalibrationData.", _file));
            return (null, []);
        }

        if (raw.Length > 0 && mode != QuantizationMode.Static)
        {
            Report(BuildDiagnostics.CalibrationDataIgnored(Include, mode?.ToString() ?? "(none)", _file));
            return (null, []);
        }

        return TestDataFolder(MetadataNames.CalibrationData, problem => BuildDiagnostics.CalibrationDataMissing(Include, problem, _file));
    }

    /// <summary>
    /// A folder in the ONNX test-data layout (<c>test_data_set_*/*.pb</c>). Its files are inputs of the
    /// compression target, so editing a sample compresses the model again.
    /// </summary>
    private (string? Folder, IReadOnlyList<string> Files) TestDataFolder(string metadata, Func<string, BuildDiagnostic> problem)
    {
        string raw = Value(metadata);
        if (raw.Length == 0)
        {
            return (null, []);
        }

        string folder = Path.GetFullPath(Path.Combine(_project.ProjectDirectory, raw));
        if (!Directory.Exists(folder))
        {
            Report(problem(Format("{0} folder '{1}' does not exist.", metadata, folder)));
            return (null, []);
        }

        // Both layouts the engine reads (Calibration.SampleFolder): ONNX test data and numpy.
        string[] files = Directory.GetDirectories(folder, "test_data_set_*")
            .SelectMany(set => Directory.GetFiles(set, "*.pb"))
            .Concat(Directory.GetDirectories(folder, "set_*").SelectMany(set => Directory.GetFiles(set, "*.npy")))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (!files.Any(f => Path.GetFileName(f).StartsWith("input_", StringComparison.Ordinal) || f.EndsWith(".npy", StringComparison.Ordinal)))
        {
            Report(problem(Format("{0} folder '{1}' has no test_data_set_*/input_*.pb or set_*/*.npy files.", metadata, folder)));
            return (null, []);
        }

        return (folder, files);
    }

    private string? TargetPath(ModelFormat format)
    {
        string raw = Value(MetadataNames.TargetPath);
        if (raw.Length == 0)
        {
            // Like None items: the Include's path relative to the project, or the Link, or the file name
            // when the model lives outside the project folder.
            string link = _item.GetMetadata("Link");
            string relative = link.Length > 0 ? link : Path.GetRelativePath(_project.ProjectDirectory, Path.Combine(_project.ProjectDirectory, Include));
            if (Path.IsPathRooted(relative) || relative.Split('/', '\\').Contains(".."))
            {
                relative = Path.GetFileName(Include);
            }

            string normalized = relative.Replace('\\', '/');
            return format == ModelFormat.Ort ? Path.ChangeExtension(normalized, ".ort") : normalized;
        }

        string path = raw.Replace('\\', '/');
        if (Path.IsPathRooted(raw) || path.StartsWith('/'))
        {
            Report(BuildDiagnostics.InvalidTargetPath(Include, raw, "is rooted", _file));
            return null;
        }

        string[] segments = path.Split('/');
        if (segments.Contains("..") || segments[^1].Length == 0 || segments[^1] == ".")
        {
            Report(BuildDiagnostics.InvalidTargetPath(Include, raw, "does not name a file under the output folder", _file));
            return null;
        }

        return string.Join('/', segments.Where(s => s.Length > 0 && s != "."));
    }

    private string Identifier(string metadata, string fallback, Func<string, bool> isValid)
    {
        string raw = Value(metadata);
        if (raw.Length == 0)
        {
            return fallback;
        }

        if (!isValid(raw))
        {
            Report(BuildDiagnostics.InvalidIdentifier(Include, metadata, raw, _file));
        }

        return raw;
    }

    private T Enum<T>(string metadata, T fallback, IReadOnlyList<(string Name, T Value)> names)
        where T : struct => OptionalEnum(metadata, names) ?? fallback;

    private T? OptionalEnum<T>(string metadata, IReadOnlyList<(string Name, T Value)> names)
        where T : struct
    {
        string raw = Value(metadata);
        if (raw.Length == 0)
        {
            return null;
        }

        foreach ((string name, T value) in names)
        {
            if (string.Equals(name, raw, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        Report(BuildDiagnostics.UnknownValue(Include, metadata, raw, names.Select(n => n.Name), _file));
        return null;
    }

    private bool? OptionalBool(string metadata)
    {
        string raw = Value(metadata);
        if (raw.Length == 0)
        {
            return null;
        }

        if (bool.TryParse(raw, out bool value))
        {
            return value;
        }

        Report(BuildDiagnostics.UnknownValue(Include, metadata, raw, ["true", "false"], _file));
        return null;
    }

    private double? OptionalNumber(string metadata, double min, double max, string expected)
    {
        string raw = Value(metadata);
        if (raw.Length == 0)
        {
            return null;
        }

        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && double.IsFinite(value) && value >= min && value <= max)
        {
            return value;
        }

        Report(BuildDiagnostics.ValueOutOfRange(Include, metadata, raw, expected, _file));
        return null;
    }

    private int? OptionalInteger(string metadata, int min, int max, string expected)
    {
        string raw = Value(metadata);
        if (raw.Length == 0)
        {
            return null;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
        {
            return value;
        }

        Report(BuildDiagnostics.ValueOutOfRange(Include, metadata, raw, expected, _file));
        return null;
    }

    private int? OptionalBlockSize()
    {
        const string Expected = "a power of two from 16 to 4096";
        int? blockSize = OptionalInteger(MetadataNames.BlockSize, 16, 4096, Expected);
        if (blockSize is int size && (size & (size - 1)) != 0)
        {
            Report(BuildDiagnostics.ValueOutOfRange(Include, MetadataNames.BlockSize, Value(MetadataNames.BlockSize), Expected, _file));
            return null;
        }

        return blockSize;
    }

    private string[] List(string metadata) =>
        Value(metadata).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private string Value(string metadata) => _item.GetMetadata(metadata).Trim();

    private void Contradiction(string conflict, string fix) => Report(BuildDiagnostics.Contradiction(Include, conflict, fix, _file));

    private void Report(BuildDiagnostic diagnostic) => _diagnostics.Add(diagnostic);

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    private static readonly (string, Quantization)[] QuantizationNames =
        [("None", Quantization.None), ("Int8", Quantization.Int8), ("UInt8", Quantization.UInt8), ("Int4", Quantization.Int4),
         ("UInt4", Quantization.UInt4), ("Float16", Quantization.Float16), ("BFloat16", Quantization.BFloat16)];

    private static readonly (string, QuantizationMode)[] ModeNames =
        [("Dynamic", QuantizationMode.Dynamic), ("WeightOnly", QuantizationMode.WeightOnly), ("Static", QuantizationMode.Static), ("Full", QuantizationMode.Full)];

    private static readonly (string, WeightRange)[] WeightRangeNames = [("Portable", WeightRange.Portable), ("Full", WeightRange.Full)];

    private static readonly (string, PruningMethod)[] PruningNames =
        [("Unstructured", PruningMethod.Unstructured), ("Global", PruningMethod.Global), ("2:4", PruningMethod.TwoFour),
         ("Channel", PruningMethod.Channel), ("None", PruningMethod.None)];

    private static readonly (string, GraphOptimization)[] OptimizeNames =
        [("None", GraphOptimization.None), ("Basic", GraphOptimization.Basic), ("Extended", GraphOptimization.Extended), ("All", GraphOptimization.All)];

    private static readonly (string, ModelFormat)[] FormatNames = [("Onnx", ModelFormat.Onnx), ("Ort", ModelFormat.Ort)];
}
