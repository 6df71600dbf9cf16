using System;
using Microsoft.CodeAnalysis;

namespace Compression.Generators;

/// <summary>The CMP3xxx diagnostics of the wrapper generator (listed with cause and fix in docs/diagnostics.md).</summary>
internal static class GeneratorDiagnostics
{
    private const string Category = "Compression.Build";

    public static readonly DiagnosticDescriptor MalformedJson = Error(
        "CMP3001",
        "Model manifest is not valid JSON",
        "The manifest for '{0}' is not valid JSON: {1}; no wrapper class is generated for it");

    public static readonly DiagnosticDescriptor InvalidManifest = Error(
        "CMP3002",
        "Model manifest does not follow the schema",
        "The manifest for '{0}' does not follow the schema: {1}; no wrapper class is generated for it");

    public static readonly DiagnosticDescriptor UnsupportedSchemaVersion = Error(
        "CMP3003",
        "Unsupported model manifest schema version",
        "The manifest for '{0}' has schemaVersion {1}, but this generator reads version 1; use matching versions of the Compression.Build package");

    public static readonly DiagnosticDescriptor InvalidName = Error(
        "CMP3004",
        "Invalid class name or namespace",
        "'{1}' is not a valid C# {2} for the wrapper of '{0}': {3}; set ClassName/Namespace on the CompressedModel item");

    public static readonly DiagnosticDescriptor UnsupportedElementType = Error(
        "CMP3005",
        "Unsupported tensor element type",
        "The {1} '{2}' of '{0}' has element type '{3}', which the typed wrapper does not support; no wrapper class is generated for this model (set GenerateWrapper=false and call ONNX Runtime directly)");

    public static readonly DiagnosticDescriptor DuplicateTensorName = Error(
        "CMP3006",
        "Two inputs or outputs have the same name",
        "'{0}' declares the {1} name '{2}' more than once; names must be unique for the wrapper to tell them apart");

    public static readonly DiagnosticDescriptor RenamedMember = new(
        "CMP3007",
        "Tensor name renamed to stay unique",
        "The {1} '{2}' of '{0}' is exposed as '{3}' because its sanitised name '{4}' is already taken",
        Category,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "Every input and output keeps a distinct C# name; see docs/diagnostics.md.");

    public static readonly DiagnosticDescriptor DuplicateClass = Error(
        "CMP3008",
        "Two models map to one class",
        "'{0}' and '{1}' both generate the class '{2}'; only the wrapper for '{1}' is generated; set a distinct ClassName or Namespace on one of the CompressedModel items");

    public static readonly DiagnosticDescriptor UnreadableManifest = Error(
        "CMP3009",
        "Model manifest could not be read",
        "The manifest file '{0}' could not be read; rebuild the project so the build writes it again");

    private static readonly DiagnosticDescriptor[] All =
    [
        MalformedJson, InvalidManifest, UnsupportedSchemaVersion, InvalidName, UnsupportedElementType,
        DuplicateTensorName, RenamedMember, DuplicateClass, UnreadableManifest,
    ];

    public static DiagnosticDescriptor Find(string id)
    {
        foreach (var descriptor in All)
        {
            if (descriptor.Id == id)
            {
                return descriptor;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(id), id, "Unknown diagnostic id.");
    }

    private static DiagnosticDescriptor Error(string id, string title, string message) => new(
        id,
        title,
        message,
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "See docs/diagnostics.md (" + id + ") for the cause and the fix.");
}
