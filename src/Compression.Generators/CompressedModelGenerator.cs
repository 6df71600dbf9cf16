using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Compression.Generators.Emit;
using Compression.Generators.Model;
using Compression.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Compression.Generators;

/// <summary>
/// Emits one typed ONNX Runtime wrapper class per model manifest (an <c>AdditionalFiles</c> item with the
/// metadata <c>CompressionBuildManifest=true</c>, written by the Compression.Build MSBuild targets).
/// Pipeline: manifest text -> <see cref="ManifestParser"/> (model + diagnostics) -> class-name check across
/// models -> <see cref="WrapperEmitter"/>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CompressedModelGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps (asserted by the incremental tests).</summary>
    public static class StepNames
    {
        /// <summary>Additional files reduced to manifest path, text and fallback namespace.</summary>
        public const string ManifestInputs = "ManifestInputs";

        /// <summary>Each manifest parsed into a model and diagnostics.</summary>
        public const string ParsedManifests = "ParsedManifests";

        /// <summary>Models after the one-class-per-name check, one item per manifest.</summary>
        public const string GenerationUnits = "GenerationUnits";
    }

    private const string ManifestMetadata = "build_metadata.AdditionalFiles.CompressionBuildManifest";
    private const string RootNamespaceProperty = "build_property.RootNamespace";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var manifests = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => ReadManifest(pair.Left, pair.Right, ct))
            .WithTrackingName(StepNames.ManifestInputs)
            .Where(static input => input is not null)
            .Select(static (input, ct) => ManifestParser.Parse(input!, ct))
            .WithTrackingName(StepNames.ParsedManifests);

        var units = manifests
            .Collect()
            .SelectMany(static (results, _) => ClassNameCheck.Apply(results))
            .WithTrackingName(StepNames.GenerationUnits);

        context.RegisterSourceOutput(units, static (spc, unit) => Emit(spc, unit));
    }

    private static ManifestInput? ReadManifest(AdditionalText file, AnalyzerConfigOptionsProvider options, CancellationToken cancellationToken)
    {
        if (!options.GetOptions(file).TryGetValue(ManifestMetadata, out var flag)
            || !string.Equals(flag?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        options.GlobalOptions.TryGetValue(RootNamespaceProperty, out var rootNamespace);
        return new ManifestInput(file.Path, file.GetText(cancellationToken)?.ToString(), rootNamespace?.Trim() ?? string.Empty);
    }

    // The one place diagnostics are reported.
    private static void Emit(SourceProductionContext context, ParseResult unit)
    {
        foreach (var diagnostic in unit.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        if (unit.Model is { } model)
        {
            context.AddSource(WrapperEmitter.HintName(model), SourceText.From(WrapperEmitter.Emit(model), System.Text.Encoding.UTF8));
        }
    }

    /// <summary>Two manifests that generate the same class: the first by manifest path wins, the others get CMP3008.</summary>
    private static class ClassNameCheck
    {
        public static ImmutableArray<ParseResult> Apply(ImmutableArray<ParseResult> results)
        {
            var ordered = new List<ParseResult>(results);
            ordered.Sort(static (a, b) => string.CompareOrdinal(a.ManifestPath, b.ManifestPath));
            var owners = new Dictionary<string, ModelSpec>(StringComparer.Ordinal);
            var builder = ImmutableArray.CreateBuilder<ParseResult>(ordered.Count);
            foreach (var result in ordered)
            {
                if (result.Model is not { } model)
                {
                    builder.Add(result);
                }
                else if (owners.TryGetValue(model.FullName, out var owner))
                {
                    var clash = DiagnosticInfo.Create(GeneratorDiagnostics.DuplicateClass, model.ClassNameLocation, model.Source, owner.Source, model.FullName);
                    builder.Add(result with { Model = null, Diagnostics = new EquatableArray<DiagnosticInfo>([.. result.Diagnostics, clash]) });
                }
                else
                {
                    owners.Add(model.FullName, model);
                    builder.Add(result);
                }
            }

            return builder.MoveToImmutable();
        }
    }
}
