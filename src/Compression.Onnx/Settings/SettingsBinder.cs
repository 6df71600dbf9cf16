using System.Globalization;

namespace Compression.Onnx.Settings;

/// <summary>
/// Binds raw strings (MSBuild item metadata, <c>compress-model</c> options) to <see cref="SettingsSchema"/>: every
/// value parsed, the cross-field rules applied, defaults resolved into one canonical <see cref="CompressionSettings"/>.
/// It never stops at the first problem, so one run shows everything wrong.
/// </summary>
public sealed class SettingsBinder
{
    private readonly Func<string, string?> _raw;
    private readonly string _baseDirectory;
    private readonly Dictionary<Setting, object?> _given = [];
    private readonly List<SettingProblem> _problems = [];

    private SettingsBinder(Func<string, string?> raw, string baseDirectory)
    {
        _raw = raw;
        _baseDirectory = baseDirectory;
    }

    /// <summary>Binds the values <paramref name="raw"/> returns for each setting name.</summary>
    /// <param name="raw">The raw value of a setting by its <see cref="Setting.Name"/>; null or empty when not given.</param>
    /// <param name="baseDirectory">Relative folders (<c>CalibrationData</c>, <c>ValidationData</c>) are resolved against it.</param>
    /// <returns>The resolved settings (best effort when there are errors) and every problem found.</returns>
    public static BoundSettings Bind(Func<string, string?> raw, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        return new SettingsBinder(raw, baseDirectory).Bind();
    }

    /// <summary>Binds name/value pairs, e.g. parsed command-line options; names are <see cref="Setting.Name"/>s, case-insensitive.</summary>
    /// <param name="values">The given settings.</param>
    /// <param name="baseDirectory">Relative folders are resolved against it.</param>
    /// <returns>The resolved settings and every problem found.</returns>
    public static BoundSettings Bind(IReadOnlyDictionary<string, string> values, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(values);
        var byName = new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase);
        return Bind(name => byName.GetValueOrDefault(name), baseDirectory);
    }

    private BoundSettings Bind()
    {
        foreach (Setting setting in SettingsSchema.All)
        {
            if (setting.Kind == SettingKind.Text && !setting.IsEngineSetting)
            {
                continue;
            }

            string raw = (_raw(setting.Name) ?? string.Empty).Trim();
            if (raw.Length == 0)
            {
                continue;
            }

            if (setting.TryParse(raw, out object? value, out SettingProblem? problem))
            {
                _given[setting] = value;
            }
            else
            {
                _problems.Add(problem!);
            }
        }

        var settings = new CompressionSettings();
        foreach ((Setting setting, object? value) in _given)
        {
            if (setting.Set is { } set)
            {
                settings = set(settings, value);
            }
        }

        settings = ApplyRules(settings);
        (settings, IReadOnlyList<string> calibration) = CalibrationData(settings);
        (settings, IReadOnlyList<string> validation) = ValidationData(settings);
        return new BoundSettings(settings, _given, _problems, calibration, validation);
    }

    private CompressionSettings ApplyRules(CompressionSettings settings)
    {
        QuantizationType quantize = settings.Quantize;
        bool fourBit = SettingsSchema.IsFourBit(quantize);
        settings = settings with { Mode = ResolveMode(quantize) };
        IntegerOnly(SettingsSchema.PerChannel, quantize);
        IntegerOnly(SettingsSchema.Symmetric, quantize);
        OnlyWith(SettingsSchema.BlockSize, quantize, fourBit, "4-bit", "Int4", "UInt4");
        OnlyWith(SettingsSchema.AccuracyLevel, quantize, fourBit, "4-bit", "Int4", "UInt4");
        OnlyWith(SettingsSchema.WeightRange, quantize, SettingsSchema.IsEightBit(quantize), "8-bit", "Int8", "UInt8");
        settings = ResolvePruning(settings);
        bool validate = settings.Validate;
        if (IsGiven(SettingsSchema.Tolerance) && !validate)
        {
            Contradiction(SettingsSchema.Tolerance, "Tolerance needs validation, but Validate=\"false\".", "Remove Tolerance, or remove Validate=\"false\".");
        }

        if (settings.AutoFallback && settings.Tolerance is null)
        {
            Contradiction(SettingsSchema.AutoFallback, "AutoFallback=\"true\" needs a Tolerance to fall back to.", "Add Tolerance (e.g. Tolerance=\"0.01\") or remove AutoFallback.");
        }

        if ((settings.ExcludeNodes.Count > 0 || settings.ExcludeOps.Count > 0) && quantize == QuantizationType.None)
        {
            Contradiction(SettingsSchema.ExcludeNodes, "ExcludeNodes/ExcludeOps keep nodes out of quantization, but Quantize=\"None\".", "Remove them, or set Quantize.");
        }

        return settings;
    }

    private QuantizationMode ResolveMode(QuantizationType quantize)
    {
        QuantizationMode? mode = _given.TryGetValue(SettingsSchema.Mode, out object? value) ? (QuantizationMode)value! : null;
        IReadOnlyList<QuantizationMode> allowed = SettingsSchema.ModesFor(quantize);
        if (allowed.Count == 0)
        {
            if (mode is not null)
            {
                Contradiction(
                    SettingsSchema.Mode,
                    Format("Mode=\"{0}\" needs a Quantize type, but Quantize=\"None\".", mode),
                    "Set Quantize (Int8, UInt8, Int4, UInt4, Float16, BFloat16) or remove Mode.");
            }

            return QuantizationMode.Default;
        }

        if (mode is { } requested && !allowed.Contains(requested))
        {
            Contradiction(
                SettingsSchema.Mode,
                Format("Quantize=\"{0}\" cannot be applied with Mode=\"{1}\".", quantize, requested),
                Format("Use Mode=\"{0}\" with Quantize=\"{1}\", or remove Mode to get its default ({2}).", string.Join("\" or \"", allowed), quantize, allowed[0]));
            return allowed[0];
        }

        return mode ?? allowed[0];
    }

    private void IntegerOnly(Setting setting, QuantizationType quantize)
    {
        if (IsGiven(setting) && !SettingsSchema.IsInteger(quantize))
        {
            Contradiction(
                setting,
                Format("{0} applies to integer quantization only, but Quantize=\"{1}\".", setting.Name, quantize),
                Format("Remove {0}, or use an integer Quantize value.", setting.Name));
        }
    }

    private void OnlyWith(Setting setting, QuantizationType quantize, bool applies, string what, string signed, string unsigned)
    {
        if (_given.TryGetValue(setting, out object? value) && !applies)
        {
            Contradiction(
                setting,
                Format("{0}=\"{1}\" applies to {2} quantization only, but Quantize=\"{3}\".", setting.Name, setting.Spell(value), what, quantize),
                Format("Remove {0}, or use Quantize=\"{1}\" or \"{2}\".", setting.Name, signed, unsigned));
        }
    }

    private CompressionSettings ResolvePruning(CompressionSettings settings)
    {
        bool given = _given.TryGetValue(SettingsSchema.Pruning, out object? value);
        var pruning = (PruningMethod?)value;
        double sparsity = settings.Sparsity;
        if (pruning == PruningMethod.TwoOfFour)
        {
            // 2:4 removes exactly half of each group of four: the sparsity is implied.
            if (sparsity != 0 && sparsity != 0.5)
            {
                Contradiction(
                    SettingsSchema.Pruning,
                    Format("Pruning=\"2:4\" removes exactly half of the weights, but Sparsity=\"{0}\".", sparsity),
                    "Remove Sparsity (2:4 implies 0.5), or choose another Pruning.");
            }

            return settings with { Sparsity = 0.5, Pruning = PruningMethod.TwoOfFour };
        }

        if (pruning is { } method && sparsity == 0)
        {
            Contradiction(
                SettingsSchema.Pruning,
                Format("Pruning=\"{0}\" needs a Sparsity above 0.", SettingsSchema.Pruning.Spell(method)),
                "Add Sparsity (e.g. Sparsity=\"0.5\"), or remove Pruning.");
        }

        if (given && pruning is null && sparsity > 0)
        {
            Contradiction(
                SettingsSchema.Sparsity,
                Format("Sparsity=\"{0}\" asks for pruning, but Pruning=\"None\".", sparsity),
                "Remove Pruning (defaults to Unstructured), or remove Sparsity.");
        }

        return settings with { Pruning = pruning ?? PruningMethod.Unstructured };
    }

    private (CompressionSettings, IReadOnlyList<string>) CalibrationData(CompressionSettings settings)
    {
        bool reads = SettingsSchema.ReadsCalibrationData(settings);
        if (settings.CalibrationDataPath is null)
        {
            if (settings.Mode == QuantizationMode.Static)
            {
                _problems.Add(SettingProblem.CalibrationDataMissing("Mode=\"Static\" needs CalibrationData."));
            }

            return (settings, []);
        }

        if (!reads)
        {
            _problems.Add(SettingProblem.CalibrationDataIgnored(settings.Mode == QuantizationMode.Default ? "(none)" : settings.Mode.ToString()));
            return (settings with { CalibrationDataPath = null }, []);
        }

        (string? folder, IReadOnlyList<string> files) = TestDataFolder(SettingsSchema.CalibrationData, settings.CalibrationDataPath, SettingProblem.CalibrationDataMissing);
        return (settings with { CalibrationDataPath = folder }, files);
    }

    private (CompressionSettings, IReadOnlyList<string>) ValidationData(CompressionSettings settings)
    {
        if (settings.ValidationDataPath is null)
        {
            return (settings, []);
        }

        (string? folder, IReadOnlyList<string> files) = TestDataFolder(SettingsSchema.ValidationData, settings.ValidationDataPath, SettingProblem.ValidationDataMissing);
        if (folder is not null && !settings.Validate)
        {
            Contradiction(SettingsSchema.ValidationData, "ValidationData is given, but Validate=\"false\".", "Remove ValidationData, or remove Validate=\"false\".");
        }

        return (settings with { ValidationDataPath = folder }, files);
    }

    /// <summary>
    /// A folder of samples (<c>test_data_set_*/*.pb</c> or <c>set_*/*.npy</c>), made absolute. Its files are inputs of the
    /// compression, so editing a sample compresses the model again.
    /// </summary>
    private (string? Folder, IReadOnlyList<string> Files) TestDataFolder(Setting setting, string raw, Func<string, SettingProblem> problem)
    {
        string folder = Path.GetFullPath(Path.Combine(_baseDirectory, raw));
        if (!Directory.Exists(folder))
        {
            _problems.Add(problem(Format("{0} folder '{1}' does not exist.", setting.Name, folder)));
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
            _problems.Add(problem(Format("{0} folder '{1}' has no test_data_set_*/input_*.pb or set_*/*.npy files.", setting.Name, folder)));
            return (null, []);
        }

        return (folder, files);
    }

    private bool IsGiven(Setting setting) => _given.ContainsKey(setting);

    private void Contradiction(Setting setting, string conflict, string fix) => _problems.Add(SettingProblem.Contradiction(setting.Name, conflict, fix));

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}

/// <summary>What <see cref="SettingsBinder"/> made of the raw values.</summary>
public sealed class BoundSettings
{
    private readonly IReadOnlyDictionary<Setting, object?> _given;

    internal BoundSettings(CompressionSettings settings, IReadOnlyDictionary<Setting, object?> given, IReadOnlyList<SettingProblem> problems,
        IReadOnlyList<string> calibrationFiles, IReadOnlyList<string> validationFiles)
    {
        Settings = settings;
        _given = given;
        Problems = problems;
        CalibrationFiles = calibrationFiles;
        ValidationFiles = validationFiles;
    }

    /// <summary>The resolved settings: every default applied, folders absolute. Only meaningful without <see cref="HasErrors"/>.</summary>
    public CompressionSettings Settings { get; }

    /// <summary>Every problem found, errors and warnings, in the order found.</summary>
    public IReadOnlyList<SettingProblem> Problems { get; }

    /// <summary>Whether any problem is an error.</summary>
    public bool HasErrors => Problems.Any(p => !p.IsWarning);

    /// <summary>The calibration files the compression will read (an input of incremental builds).</summary>
    public IReadOnlyList<string> CalibrationFiles { get; }

    /// <summary>The validation files the compression will read.</summary>
    public IReadOnlyList<string> ValidationFiles { get; }

    /// <summary>A boolean setting's value: the given one, or its default.</summary>
    /// <param name="setting">A boolean setting of <see cref="SettingsSchema"/>.</param>
    public bool Flag(BooleanSetting setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return _given.TryGetValue(setting, out object? value) ? (bool)value! : setting.Default ?? false;
    }
}
