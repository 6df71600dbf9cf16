using Compression.Onnx;
using Compression.Onnx.Settings;
using Compression.Tasks.Diagnostics;
using Microsoft.Build.Framework;

namespace Compression.Tasks.Metadata;

/// <summary>
/// Reads one <c>CompressedModel</c> item's metadata: the settings bound against <see cref="SettingsSchema"/>
/// (<see cref="SettingsBinder"/>: values, contradictions, defaults), plus what only the build knows (the model
/// file, the generated class's names, the target path). It never stops at the first problem, so one build
/// shows everything wrong with an item.
/// </summary>
internal sealed class ModelItemReader
{
    private readonly ITaskItem _item;
    private readonly ProjectContext _project;
    private readonly List<BuildDiagnostic> _diagnostics;
    private readonly string? _file;
    private readonly int _errorsBefore;

    private ModelItemReader(ITaskItem item, ProjectContext project, List<BuildDiagnostic> diagnostics)
    {
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
    public static ModelItem? Read(ITaskItem item, ProjectContext project, List<BuildDiagnostic> diagnostics) =>
        new ModelItemReader(item, project, diagnostics).Read();

    private string Include => _item.ItemSpec;

    private ModelItem? Read()
    {
        CheckMetadataNames();
        string sourcePath = Path.GetFullPath(Path.Combine(_project.ProjectDirectory, Include));
        if (!File.Exists(sourcePath))
        {
            Report(BuildDiagnostics.ModelNotFound(Include, sourcePath, _file));
        }

        BoundSettings bound = SettingsBinder.Bind(Value, _project.ProjectDirectory);
        foreach (SettingProblem problem in bound.Problems)
        {
            Report(BuildDiagnostics.FromSettings(Include, problem, _file));
        }

        string className = Identifier(SettingsSchema.ClassName.Name, CSharpNames.ClassNameFromFile(Include), CSharpNames.IsIdentifier);
        string ns = Identifier(SettingsSchema.Namespace.Name, _project.RootNamespace, CSharpNames.IsNamespace);
        string? targetPath = TargetPath(bound.Settings.Format);

        if (HasErrors || targetPath is null)
        {
            return null;
        }

        return new ModelItem
        {
            Include = Include,
            SourcePath = sourcePath,
            Settings = bound.Settings,
            DataFiles = [.. bound.CalibrationFiles, .. bound.ValidationFiles],
            ClassName = className,
            Namespace = ns,
            GenerateWrapper = bound.Flag(SettingsSchema.GenerateWrapper),
            Embed = bound.Flag(SettingsSchema.Embed),
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

    private string? TargetPath(ModelFormat format)
    {
        string raw = Value(SettingsSchema.TargetPath.Name);
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

        // ONNX Runtime tells its ORT format from the extension: Format=Ort keeps the path and ends it in .ort.
        string target = string.Join('/', segments.Where(s => s.Length > 0 && s != "."));
        return format == ModelFormat.Ort ? Path.ChangeExtension(target, ".ort") : target;
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

    private string Value(string metadata) => _item.GetMetadata(metadata).Trim();

    private void Report(BuildDiagnostic diagnostic) => _diagnostics.Add(diagnostic);
}
