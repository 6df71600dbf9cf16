using System.Globalization;

namespace Compression.Onnx.Settings;

/// <summary>
/// Something wrong with the settings a user wrote, found by <see cref="SettingsBinder"/>: a coded message
/// and the fix, without the item or file (the MSBuild adapter and the command line add their own context).
/// </summary>
/// <param name="Code">The CMP2xxx code (see <see cref="SettingCodes"/>, docs/diagnostics.md).</param>
/// <param name="Setting">The setting at fault (the first one named when two contradict).</param>
/// <param name="Message">What is wrong, e.g. <c>Quantize="Int9" is not a known value. Allowed values: ...</c>.</param>
/// <param name="Help">How to fix it.</param>
/// <param name="IsWarning">A warning: the build goes on.</param>
public sealed record SettingProblem(string Code, string Setting, string Message, string Help, bool IsWarning = false)
{
    internal static SettingProblem UnknownValue(string setting, string value, IEnumerable<string> allowed) => new(
        SettingCodes.UnknownValue,
        setting,
        Format("{0}=\"{1}\" is not a known value. Allowed values: {2}.", setting, value, string.Join(", ", allowed)),
        Format("Use one of the allowed values (case does not matter) or remove {0} to get its default; see docs/metadata.md.", setting));

    internal static SettingProblem OutOfRange(string setting, string value, string expected) => new(
        SettingCodes.ValueOutOfRange,
        setting,
        Format("{0}=\"{1}\" is not valid: expected {2}.", setting, value, expected),
        Format("Write {0} as {1} (invariant culture, '.' as decimal separator) or remove it to get its default.", setting, expected));

    internal static SettingProblem Contradiction(string setting, string conflict, string fix) => new(SettingCodes.Contradiction, setting, conflict, fix);

    internal static SettingProblem CalibrationDataMissing(string problem) => new(
        SettingCodes.CalibrationDataMissing,
        SettingsSchema.CalibrationData.Name,
        problem,
        "Point CalibrationData at a folder with test_data_set_*/input_*.pb files (ONNX TensorProto), one set per calibration sample, or use Mode=\"Dynamic\".");

    internal static SettingProblem ValidationDataMissing(string problem) => new(
        SettingCodes.ValidationDataMissing,
        SettingsSchema.ValidationData.Name,
        problem,
        "ValidationData is a folder with test_data_set_*/input_*.pb files (ONNX TensorProto); remove it to validate on inputs synthesised from the model's signature.");

    internal static SettingProblem CalibrationDataIgnored(string mode) => new(
        SettingCodes.CalibrationDataIgnored,
        SettingsSchema.CalibrationData.Name,
        Format("CalibrationData is ignored with Mode=\"{0}\"; only Mode=\"Static\" and Pruning=\"Channel\" (bias correction) read it.", mode),
        "Set Mode=\"Static\" or Pruning=\"Channel\" to use the calibration data, or remove CalibrationData.",
        IsWarning: true);

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}

/// <summary>The codes of <see cref="SettingProblem"/>: the settings part of the CMP2xxx range (docs/diagnostics.md).</summary>
public static class SettingCodes
{
    /// <summary>A value is not one of the allowed names.</summary>
    public const string UnknownValue = "CMP2001";

    /// <summary>Two settings contradict each other.</summary>
    public const string Contradiction = "CMP2004";

    /// <summary><c>CalibrationData</c> is needed but missing, or its folder is not in the test-data layout.</summary>
    public const string CalibrationDataMissing = "CMP2005";

    /// <summary>A number is malformed or out of range.</summary>
    public const string ValueOutOfRange = "CMP2006";

    /// <summary>The <c>ValidationData</c> folder is missing or not in the test-data layout.</summary>
    public const string ValidationDataMissing = "CMP2010";

    /// <summary><c>CalibrationData</c> is given but nothing the settings ask for reads it (warning).</summary>
    public const string CalibrationDataIgnored = "CMP2011";
}
