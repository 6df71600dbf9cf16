using System.Globalization;

namespace Compression.Tasks.Diagnostics;

/// <summary>
/// Every CMP2xxx diagnostic the MSBuild adapter reports, one factory each, so the codes, messages and
/// help texts live in one place and match docs/diagnostics.md.
/// </summary>
internal static class BuildDiagnostics
{
    public const string UnknownValueCode = "CMP2001";
    public const string UnknownMetadataCode = "CMP2002";
    public const string ModelNotFoundCode = "CMP2003";
    public const string ContradictionCode = "CMP2004";
    public const string CalibrationDataMissingCode = "CMP2005";
    public const string ValueOutOfRangeCode = "CMP2006";
    public const string InvalidIdentifierCode = "CMP2007";
    public const string InvalidTargetPathCode = "CMP2008";
    public const string DuplicateClassNameCode = "CMP2009";
    public const string ValidationDataMissingCode = "CMP2010";
    public const string CalibrationDataIgnoredCode = "CMP2011";
    public const string ValidationSkippedCode = "CMP2012";
    public const string IoFailureCode = "CMP2020";

    // Raised by the targets (_CompressionBuildStopOnFailure) once every model was tried, not by a task.
    public const string ModelsFailedCode = "CMP2050";

    public static BuildDiagnostic UnknownValue(string item, string metadata, string value, IEnumerable<string> allowed, string? file) => new(
        UnknownValueCode,
        Format("CompressedModel '{0}': {1}=\"{2}\" is not a known value. Allowed values: {3}.", item, metadata, value, string.Join(", ", allowed)),
        Format("Use one of the allowed values (case does not matter) or remove {0} to get its default; see docs/metadata.md.", metadata),
        file);

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

    public static BuildDiagnostic Contradiction(string item, string conflict, string fix, string? file) => new(
        ContradictionCode,
        Format("CompressedModel '{0}': {1}", item, conflict),
        fix,
        file);

    public static BuildDiagnostic CalibrationDataMissing(string item, string problem, string? file) => new(
        CalibrationDataMissingCode,
        Format("CompressedModel '{0}': {1}", item, problem),
        "Point CalibrationData at a folder with test_data_set_*/input_*.pb files (ONNX TensorProto), one set per calibration sample, or use Mode=\"Dynamic\".",
        file);

    public static BuildDiagnostic ValueOutOfRange(string item, string metadata, string value, string expected, string? file) => new(
        ValueOutOfRangeCode,
        Format("CompressedModel '{0}': {1}=\"{2}\" is not valid: expected {3}.", item, metadata, value, expected),
        Format("Write {0} as {1} (invariant culture, '.' as decimal separator) or remove it to get its default.", metadata, expected),
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

    public static BuildDiagnostic ValidationDataMissing(string item, string problem, string? file) => new(
        ValidationDataMissingCode,
        Format("CompressedModel '{0}': {1}", item, problem),
        "ValidationData is a folder with test_data_set_*/input_*.pb files (ONNX TensorProto); remove it to validate on inputs synthesised from the model's signature.",
        file);

    public static BuildDiagnostic CalibrationDataIgnored(string item, string mode, string? file) => new(
        CalibrationDataIgnoredCode,
        Format("CompressedModel '{0}': CalibrationData is ignored with Mode=\"{1}\"; only Mode=\"Static\" calibrates.", item, mode),
        "Set Mode=\"Static\" to use the calibration data, or remove CalibrationData.",
        file,
        IsWarning: true);

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
