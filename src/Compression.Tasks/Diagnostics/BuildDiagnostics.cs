using System.Globalization;
using Compression.Onnx.Settings;

namespace Compression.Tasks.Diagnostics;

/// <summary>
/// Every CMP2xxx diagnostic the MSBuild adapter reports, one factory each, so the codes, messages and
/// help texts live in one place and match docs/diagnostics.md. The settings' own problems (values, contradictions,
/// data folders) come from the engine's <see cref="SettingsBinder"/> and are wrapped by <see cref="FromSettings"/>.
/// </summary>
internal static class BuildDiagnostics
{
    public const string UnknownValueCode = SettingCodes.UnknownValue;
    public const string UnknownMetadataCode = "CMP2002";
    public const string ModelNotFoundCode = "CMP2003";
    public const string ContradictionCode = SettingCodes.Contradiction;
    public const string CalibrationDataMissingCode = SettingCodes.CalibrationDataMissing;
    public const string ValueOutOfRangeCode = SettingCodes.ValueOutOfRange;
    public const string InvalidIdentifierCode = "CMP2007";
    public const string InvalidTargetPathCode = "CMP2008";
    public const string DuplicateClassNameCode = "CMP2009";
    public const string ValidationDataMissingCode = SettingCodes.ValidationDataMissing;
    public const string CalibrationDataIgnoredCode = SettingCodes.CalibrationDataIgnored;
    public const string ValidationSkippedCode = "CMP2012";
    public const string IoFailureCode = "CMP2020";

    /// <summary>A problem the settings binder found, about the item <paramref name="item"/>.</summary>
    public static BuildDiagnostic FromSettings(string item, SettingProblem problem, string? file) => new(
        problem.Code,
        Format("CompressedModel '{0}': {1}", item, problem.Message),
        problem.Help,
        file,
        problem.IsWarning);

    // Raised by the targets (_CompressionBuildStopOnFailure) once every model was tried, not by a task.
    public const string ModelsFailedCode = "CMP2050";

    public static BuildDiagnostic UnknownMetadata(string item, string metadata, string? suggestion, string? file) => new(
        UnknownMetadataCode,
        Format("CompressedModel '{0}': unknown metadata '{1}'{2}.", item, metadata, suggestion is null ? string.Empty : Format(" (did you mean '{0}'?)", suggestion)),
        "Remove it or correct its name; docs/metadata.md lists every metadata a CompressedModel understands.",
        file);

    public static BuildDiagnostic ModelNotFound(string item, string fullPath, string? file) => new(
        ModelNotFoundCode,
        Format("CompressedModel '{0}': the model file '{1}' does not exist.", item, fullPath),
        "Check the Include path; it is relative to the project folder.",
        file);

    public static BuildDiagnostic InvalidIdentifier(string item, string metadata, string value, string? file) => new(
        InvalidIdentifierCode,
        Format("CompressedModel '{0}': {1}=\"{2}\" is not a valid C# {3}.", item, metadata, value, metadata == "Namespace" ? "namespace name" : "identifier"),
        "Use letters, digits and '_' (not starting with a digit, not a C# keyword); namespaces may contain '.'.",
        file);

    public static BuildDiagnostic InvalidTargetPath(string item, string value, string reason, string? file) => new(
        InvalidTargetPathCode,
        Format("CompressedModel '{0}': TargetPath \"{1}\" {2}.", item, value, reason),
        "TargetPath is a relative path under the output folder, unique among the project's CompressedModel items, without '..'.",
        file);

    public static BuildDiagnostic DuplicateClassName(string item, string other, string fullName, string? file) => new(
        DuplicateClassNameCode,
        Format("CompressedModel '{0}' and '{1}' would both generate the class '{2}'.", item, other, fullName),
        "Give one of them another ClassName or Namespace, or set GenerateWrapper=\"false\" on one.",
        file);

    public static BuildDiagnostic ValidationSkipped(string item, string reason, string? file) => new(
        ValidationSkippedCode,
        Format("CompressedModel '{0}' was compressed but not validated: {1}", item, reason.TrimEnd('.') + "."),
        "Give ValidationData (a folder with test_data_set_*/input_*.pb holding realistic inputs), or set Validate=\"false\" to compress without checking.",
        file,
        IsWarning: true);

    public static BuildDiagnostic IoFailure(string item, string path, string reason, string? file) => new(
        IoFailureCode,
        Format("CompressedModel '{0}': could not access '{1}': {2}", item, path, reason),
        "Check that the file is not locked by another process and that the folder is writable, then build again.",
        file);

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
