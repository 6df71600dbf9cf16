using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Compression.Generators.Tests;

/// <summary>Runs <see cref="CompressedModelGenerator"/> with CSharpGeneratorDriver and compiles what it emits.</summary>
internal static class GeneratorHarness
{
    public const string RootNamespace = "TestApp";

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

    public static string DataDirectory => AppContext.BaseDirectory;

    public static string ModelPath(string fileName) => Path.Combine(AppContext.BaseDirectory, "models", fileName);

    public static string ManifestText(string fileName) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "manifests", fileName));

    /// <summary>
    /// The test project's source folder (where Snapshots/ lives), recorded by the project file. Not
    /// [CallerFilePath]: CI builds map source paths to "/_/" (ContinuousIntegrationBuild).
    /// </summary>
    public static string SourceDirectory() => typeof(GeneratorHarness).Assembly
        .GetCustomAttributes<System.Reflection.AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "TestSourceDirectory").Value!;

    /// <summary>An additional file; a null text stands for one the compiler cannot read.</summary>
    public static AdditionalText Manifest(string path, string? text) => new InMemoryText(path, text);

    public static SyntaxTree Parse(string source) => CSharpSyntaxTree.ParseText(source, ParseOptions);

    public static CSharpCompilation NewCompilation(params string[] sources) => CSharpCompilation.Create(
        "Generated" + Guid.NewGuid().ToString("N"),
        sources.Select(s => CSharpSyntaxTree.ParseText(s, ParseOptions)),
        References.Value,
        new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            generalDiagnosticOption: ReportDiagnostic.Default,
            warningLevel: 9999));

    public static GeneratorDriver NewDriver(IEnumerable<AdditionalText> manifests, string rootNamespace = RootNamespace, IEnumerable<AdditionalText>? otherFiles = null)
    {
        var manifestList = manifests.ToList();
        var all = manifestList.Concat(otherFiles ?? []).ToList();
        var options = new OptionsProvider(rootNamespace, manifestList.Select(m => m.Path).ToHashSet(StringComparer.Ordinal));
        return CSharpGeneratorDriver.Create(
            [new CompressedModelGenerator().AsSourceGenerator()],
            all,
            ParseOptions,
            options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    /// <summary>Runs the generator over manifests (path, text) and returns the run result.</summary>
    public static GeneratorDriverRunResult Run(params (string Path, string? Text)[] manifests)
        => RunWithNamespace(RootNamespace, manifests);

    public static GeneratorDriverRunResult RunWithNamespace(string rootNamespace, params (string Path, string? Text)[] manifests)
        => NewDriver(manifests.Select(m => Manifest(m.Path, m.Text)), rootNamespace).RunGenerators(NewCompilation("class Placeholder { }")).GetRunResult();

    public static string SingleSource(GeneratorDriverRunResult result)
    {
        Assert.IsEmpty(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), string.Join("\n", result.Diagnostics));
        var generated = result.Results.Single().GeneratedSources;
        Assert.HasCount(1, generated);
        return generated[0].SourceText.ToString();
    }

    /// <summary>
    /// Compiles generated sources (plus test code) as a user project would (nullable on, XML docs checked,
    /// every warning level), fails on any warning or error, and loads the assembly.
    /// </summary>
    public static Assembly CompileAndLoad(IEnumerable<string> sources, IEnumerable<ResourceDescription>? resources = null)
    {
        var compilation = NewCompilation([.. sources]);
        var problems = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.IsEmpty(problems, string.Join("\n", problems));
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream, manifestResources: resources);
        Assert.IsTrue(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        return AssemblyLoadContext.Default.LoadFromStream(stream);
    }

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.Add(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.Location);
        return [.. paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    private sealed class InMemoryText(string path, string? text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText? GetText(CancellationToken cancellationToken = default) => text is null ? null : SourceText.From(text);
    }

    /// <summary>Marks the given paths as manifests (CompressionBuildManifest=true) and sets RootNamespace.</summary>
    private sealed class OptionsProvider(string rootNamespace, HashSet<string> manifestPaths) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(new() { ["build_property.RootNamespace"] = rootNamespace });

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
            => manifestPaths.Contains(textFile.Path) ? Options.Manifest : Options.Empty;
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new([]);
        public static readonly Options Manifest = new(new() { ["build_metadata.AdditionalFiles.CompressionBuildManifest"] = "true" });

        public override bool TryGetValue(string key, out string value)
        {
            var found = values.TryGetValue(key, out var v);
            value = v ?? string.Empty;
            return found;
        }
    }
}
