using System.Globalization;
using System.Text;

namespace Compression.Onnx.Settings;

/// <summary>Where a setting is documented (the sections of docs/metadata.md).</summary>
public enum SettingGroup
{
    /// <summary>What is done to the model.</summary>
    Compression,

    /// <summary>How the result is checked against the original.</summary>
    Validation,

    /// <summary>The generated class and where the model lands; bound by the MSBuild adapter only.</summary>
    Output,
}

/// <summary>The shape of a setting's value, for binders (MSBuild metadata, command-line options) and docs.</summary>
public enum SettingKind
{
    /// <summary>One of <see cref="Setting.AllowedValues"/>, case-insensitive.</summary>
    Choice,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A whole number in a range.</summary>
    WholeNumber,

    /// <summary>A number in a range, invariant culture.</summary>
    Number,

    /// <summary>A <c>;</c>-separated list.</summary>
    List,

    /// <summary>A folder, relative to the project (or the current folder outside MSBuild).</summary>
    Folder,

    /// <summary>Free text checked by the MSBuild adapter (identifiers, paths).</summary>
    Text,
}

/// <summary>
/// One entry of <see cref="SettingsSchema"/>: a <c>CompressedModel</c> item metadata (and the same-named
/// <c>compress-model</c> option), its type, allowed values, default and documentation.
/// </summary>
public abstract class Setting
{
    private protected Setting(string name, SettingGroup group, SettingKind kind, string values, string defaultText, string description)
    {
        Name = name;
        Group = group;
        Kind = kind;
        ValuesText = values;
        DefaultText = defaultText;
        Description = description;
    }

    /// <summary>The metadata name, e.g. <c>BlockSize</c>.</summary>
    public string Name { get; }

    /// <summary>The command-line spelling: the name in kebab-case, e.g. <c>block-size</c>.</summary>
    public string OptionName => KebabCase(Name);

    /// <summary>The docs section.</summary>
    public SettingGroup Group { get; }

    /// <summary>The shape of the value.</summary>
    public SettingKind Kind { get; }

    /// <summary>The values a user may write (choices and booleans), canonical spelling first-to-last as documented; empty for other kinds.</summary>
    public virtual IReadOnlyList<string> AllowedValues => [];

    /// <summary>The docs' "values" cell (markdown).</summary>
    public string ValuesText { get; }

    /// <summary>The docs' "default" cell (markdown).</summary>
    public string DefaultText { get; }

    /// <summary>The docs' "meaning" cell (markdown).</summary>
    public string Description { get; }

    /// <summary>Whether the engine reads it (<see langword="false"/> for the generated class and output names, which only MSBuild binds).</summary>
    public bool IsEngineSetting => Get is not null;

    /// <summary>Reads the setting's value from resolved settings (<see langword="null"/>: not set, the default applies); null for output settings.</summary>
    internal Func<CompressionSettings, object?>? Get { get; init; }

    /// <summary>Stores a parsed value into settings; null for output settings.</summary>
    internal Func<CompressionSettings, object?, CompressionSettings>? Set { get; init; }

    /// <summary>The canonical spelling of this setting's value in <paramref name="settings"/>; empty when it is not set (its default applies) or not an engine setting.</summary>
    /// <param name="settings">Resolved settings.</param>
    public string ValueIn(CompressionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Get?.Invoke(settings) is { } value ? Spell(value) : string.Empty;
    }

    /// <summary>Parses one non-empty, trimmed raw value; a problem when it is not valid.</summary>
    internal abstract bool TryParse(string raw, out object? value, out SettingProblem? problem);

    /// <summary>The canonical spelling of a parsed value (the inverse of <see cref="TryParse"/>).</summary>
    internal abstract string Spell(object? value);

    /// <summary>The outcome of parsing a value that must lie in a range: the value, or the out-of-range problem naming <paramref name="expected"/>.</summary>
    private protected bool InRange(bool valid, object parsed, string raw, string expected, out object? value, out SettingProblem? problem)
    {
        value = valid ? parsed : null;
        problem = valid ? null : SettingProblem.OutOfRange(Name, raw, expected);
        return valid;
    }

    private static string KebabCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            // A capital starts a word unless it continues an acronym (the "Op" of "ExcludeOps" starts one).
            if (char.IsUpper(name[i]) && i > 0 && (!char.IsUpper(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    private protected static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}

/// <summary>A setting whose value is one of a fixed set of names.</summary>
/// <typeparam name="T">The value each name stands for.</typeparam>
public sealed class ChoiceSetting<T> : Setting
{
    private readonly (string Name, T Value)[] _choices;

    internal ChoiceSetting(string name, SettingGroup group, (string Name, T Value)[] choices, string defaultText, string description)
        : base(name, group, SettingKind.Choice, string.Join(", ", choices.Select(c => "`" + c.Name + "`")), defaultText, description)
    {
        _choices = choices;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> AllowedValues => [.. _choices.Select(c => c.Name)];

    /// <summary>The canonical name of <paramref name="value"/>.</summary>
    public string Spell(T value) => _choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, value)).Name;

    internal override bool TryParse(string raw, out object? value, out SettingProblem? problem)
    {
        foreach ((string name, T choice) in _choices)
        {
            if (string.Equals(name, raw, StringComparison.OrdinalIgnoreCase))
            {
                value = choice;
                problem = null;
                return true;
            }
        }

        value = null;
        problem = SettingProblem.UnknownValue(Name, raw, AllowedValues);
        return false;
    }

    internal override string Spell(object? value) => Spell((T)value!);
}

/// <summary>A <c>true</c>/<c>false</c> setting.</summary>
public sealed class BooleanSetting : Setting
{
    internal BooleanSetting(string name, SettingGroup group, bool? defaultValue, string description, string? defaultText = null)
        : base(name, group, SettingKind.Boolean, "`true`, `false`", defaultText ?? (defaultValue == true ? "`true`" : "`false`"), description)
    {
        Default = defaultValue;
    }

    /// <summary>The value when the setting is not given, or <see langword="null"/> when it depends on other settings.</summary>
    public bool? Default { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> AllowedValues => ["true", "false"];

    internal override bool TryParse(string raw, out object? value, out SettingProblem? problem)
    {
        if (bool.TryParse(raw, out bool parsed))
        {
            value = parsed;
            problem = null;
            return true;
        }

        value = null;
        problem = SettingProblem.UnknownValue(Name, raw, AllowedValues);
        return false;
    }

    internal override string Spell(object? value) => (bool)value! ? "true" : "false";
}

/// <summary>A whole-number setting with a range and, optionally, a further rule (powers of two).</summary>
public sealed class IntegerSetting : Setting
{
    private readonly Func<int, bool> _rule;

    internal IntegerSetting(string name, SettingGroup group, int min, int max, int? defaultValue, string expected, string values, string defaultText, string description, Func<int, bool>? rule = null)
        : base(name, group, SettingKind.WholeNumber, values, defaultText, description)
    {
        Minimum = min;
        Maximum = max;
        Default = defaultValue;
        Expected = expected;
        _rule = rule ?? (_ => true);
    }

    /// <summary>The smallest allowed value.</summary>
    public int Minimum { get; }

    /// <summary>The largest allowed value.</summary>
    public int Maximum { get; }

    /// <summary>The value when the setting is not given, or <see langword="null"/> when it depends on other settings.</summary>
    public int? Default { get; }

    /// <summary>What a valid value is, in words, e.g. <c>a power of two from 16 to 4096</c>.</summary>
    public string Expected { get; }

    /// <summary>Whether <paramref name="value"/> is allowed: the one place this setting's rule is written.</summary>
    public bool IsValid(int value) => value >= Minimum && value <= Maximum && _rule(value);

    internal override bool TryParse(string raw, out object? value, out SettingProblem? problem) =>
        InRange(int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && IsValid(parsed), parsed, raw, Expected, out value, out problem);

    internal override string Spell(object? value) => ((int)value!).ToString(CultureInfo.InvariantCulture);
}

/// <summary>A number setting with a range, invariant culture.</summary>
public sealed class NumberSetting : Setting
{
    internal NumberSetting(string name, SettingGroup group, double min, double max, string expected, string values, string defaultText, string description)
        : base(name, group, SettingKind.Number, values, defaultText, description)
    {
        Minimum = min;
        Maximum = max;
        Expected = expected;
    }

    /// <summary>The smallest allowed value.</summary>
    public double Minimum { get; }

    /// <summary>The largest allowed value.</summary>
    public double Maximum { get; }

    /// <summary>What a valid value is, in words.</summary>
    public string Expected { get; }

    /// <summary>Whether <paramref name="value"/> is allowed (finite and in range).</summary>
    public bool IsValid(double value) => double.IsFinite(value) && value >= Minimum && value <= Maximum;

    internal override bool TryParse(string raw, out object? value, out SettingProblem? problem) =>
        InRange(double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && IsValid(parsed), parsed, raw, Expected, out value, out problem);

    internal override string Spell(object? value) => ((double)value!).ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A free-text setting: lists, folders, names, rule texts. Checked by its own grammar, if it has one, and by rules of the binder.</summary>
public sealed class TextSetting : Setting
{
    private readonly Func<string, SettingProblem?> _grammar;

    internal TextSetting(string name, SettingGroup group, SettingKind kind, string values, string defaultText, string description, Func<string, SettingProblem?>? grammar = null)
        : base(name, group, kind, values, defaultText, description)
    {
        _grammar = grammar ?? (_ => null);
    }

    internal override bool TryParse(string raw, out object? value, out SettingProblem? problem)
    {
        problem = _grammar(raw);
        value = problem is not null ? null : Kind == SettingKind.List ? Split(raw) : raw;
        return problem is null;
    }

    internal override string Spell(object? value) => value is string text ? text : string.Join(";", (IEnumerable<string>)value!);

    /// <summary>A <c>;</c> list: entries trimmed, empty ones dropped.</summary>
    internal static string[] Split(string raw) => raw.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
