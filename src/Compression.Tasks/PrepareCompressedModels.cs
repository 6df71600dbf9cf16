using System.Globalization;
using Compression.Onnx.Settings;
using Compression.Tasks.Diagnostics;
using Compression.Tasks.Metadata;
using Compression.Tasks.Output;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Compression.Tasks;

/// <summary>
/// The sanity check that runs before anything else: validates the metadata of every
/// <c>CompressedModel</c> item (reporting all problems of all items as coded CMP2xxx diagnostics),
/// resolves defaults, assigns each model its output files and refreshes the settings stamps that drive
/// incremental compression. The compression stamp holds the resolved settings (<see cref="SettingsText"/>),
/// which the later tasks read instead of binding the item again. It never reads the models themselves, so
/// it costs next to nothing.
/// </summary>
public sealed class PrepareCompressedModels : Microsoft.Build.Utilities.Task
{
    /// <summary>The <c>CompressedModel</c> items.</summary>
    [Required]
    public ITaskItem[] Models { get; set; } = [];

    /// <summary>The project folder; relative paths in the items are resolved against it.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>The folder for everything the build writes, normally <c>$(IntermediateOutputPath)compression/</c>.</summary>
    [Required]
    public string CompressionDirectory { get; set; } = string.Empty;

    /// <summary>The default namespace of the generated classes.</summary>
    public string RootNamespace { get; set; } = string.Empty;

    /// <summary>
    /// The items again, with resolved metadata (<c>TargetPath</c>, <c>ClassName</c>, <c>Namespace</c>,
    /// <c>Embed</c>, <c>GenerateWrapper</c>) and the paths the build uses: <c>CompressedPath</c>,
    /// <c>ManifestPath</c>, <c>ReportPath</c>, <c>CompressStamp</c>, <c>ManifestStamp</c>, <c>ModelPath</c>
    /// (app-relative, empty when embedded), <c>ResourceName</c> (when embedded) and <c>InputFiles</c> (the
    /// calibration, validation and external data files the compression reads besides the model).
    /// </summary>
    [Output]
    public ITaskItem[] PreparedModels { get; set; } = [];

    /// <summary>Every file the build may write for these models, for <c>FileWrites</c> (exact <c>clean</c>).</summary>
    [Output]
    public ITaskItem[] FileWrites { get; set; } = [];

    /// <inheritdoc />
    public override bool Execute()
    {
        var project = new ProjectContext(
            Path.GetFullPath(ProjectDirectory),
            RootNamespace,
            Path.GetFullPath(Path.Combine(ProjectDirectory, CompressionDirectory)));

        var diagnostics = new List<BuildDiagnostic>();
        var models = new List<(ITaskItem Item, ModelItem Model)>();
        foreach (ITaskItem item in Models)
        {
            if (ModelItemReader.Read(item, project, diagnostics) is { } model)
            {
                models.Add((item, model));
            }
        }

        CheckUnique(models, diagnostics);
        foreach (BuildDiagnostic diagnostic in diagnostics)
        {
            Log.LogDiagnostic(diagnostic);
        }

        if (Log.HasLoggedErrors)
        {
            return false;
        }

        var prepared = new List<ITaskItem>(models.Count);
        var writes = new List<ITaskItem>();
        foreach ((ITaskItem item, ModelItem model) in models)
        {
            try
            {
                string settings = SettingsText.Write(model.Settings);
                Stamp.Write(model.Paths.CompressStamp, "compression settings of " + model.Include, "source=" + model.SourcePath + "\n" + settings + ToolVersion.Text, settings);
                Stamp.Write(model.Paths.ManifestStamp, "manifest names of " + model.Include, ManifestStampText(model));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.LogDiagnostic(BuildDiagnostics.IoFailure(model.Include, model.Paths.CompressStamp, e.Message, item.GetMetadata("DefiningProjectFullPath")));
                continue;
            }

            prepared.Add(ToTaskItem(item, model));
            writes.AddRange(model.Paths.All.Select(path => new TaskItem(path)));
        }

        PreparedModels = [.. prepared];
        FileWrites = [.. writes];
        return !Log.HasLoggedErrors;
    }

    private static void CheckUnique(List<(ITaskItem Item, ModelItem Model)> models, List<BuildDiagnostic> diagnostics)
    {
        // Case-insensitive: two items differing only in case would overwrite each other on Windows and macOS.
        var byTargetPath = new Dictionary<string, ModelItem>(StringComparer.OrdinalIgnoreCase);
        var byClass = new Dictionary<string, ModelItem>(StringComparer.Ordinal);
        foreach ((ITaskItem item, ModelItem model) in models)
        {
            string file = item.GetMetadata("DefiningProjectFullPath");
            if (!byTargetPath.TryAdd(model.TargetPath, model))
            {
                diagnostics.Add(BuildDiagnostics.InvalidTargetPath(
                    model.Include, model.TargetPath, "is also the TargetPath of '" + byTargetPath[model.TargetPath].Include + "'", file));
            }

            string fullName = model.Namespace.Length > 0 ? model.Namespace + "." + model.ClassName : model.ClassName;
            if (model.GenerateWrapper && !byClass.TryAdd(fullName, model))
            {
                diagnostics.Add(BuildDiagnostics.DuplicateClassName(model.Include, byClass[fullName].Include, fullName, file));
            }
        }
    }

    private static string ManifestStampText(ModelItem model) => string.Join(
        "\n",
        "source=" + model.SourcePath,
        "include=" + model.Include,
        "class=" + model.ClassName,
        "namespace=" + model.Namespace,
        "wrapper=" + Bool(model.GenerateWrapper),
        "embed=" + Bool(model.Embed),
        "target=" + model.TargetPath,
        ToolVersion.Text);

    private static TaskItem ToTaskItem(ITaskItem source, ModelItem model)
    {
        var item = new TaskItem(source);
        Set(item, "TargetPath", model.TargetPath);
        Set(item, "ClassName", model.ClassName);
        Set(item, "Namespace", model.Namespace);
        Set(item, "Embed", Bool(model.Embed));
        Set(item, "GenerateWrapper", Bool(model.GenerateWrapper));
        Set(item, "SourcePath", model.SourcePath);
        Set(item, "CompressedPath", model.Paths.Compressed);
        Set(item, "ManifestPath", model.Paths.Manifest);
        Set(item, "ReportPath", model.Paths.Report);
        Set(item, "CompressStamp", model.Paths.CompressStamp);
        Set(item, "ManifestStamp", model.Paths.ManifestStamp);
        Set(item, "ModelPath", model.Embed ? string.Empty : model.TargetPath);
        Set(item, "ResourceName", model.Embed ? model.TargetPath : string.Empty);
        IEnumerable<string> inputs = model.DataFiles
            .Concat(CompressionReportFile.ReadSourceFiles(model.Paths.Report))
            .Distinct(StringComparer.Ordinal);

        // A list: each path escaped on its own so that the separators stay separators.
        item.SetMetadata("InputFiles", string.Join(";", inputs.Select(EscapeForMSBuild)));
        return item;
    }

    // TaskItem stores metadata escaped: a ';' or '%' in a path must not turn into a separator or an escape.
    private static void Set(TaskItem item, string name, string value) => item.SetMetadata(name, EscapeForMSBuild(value));

    private static string Bool(bool value) => value ? "true" : "false";

    private static string EscapeForMSBuild(string path)
    {
        var escaped = new System.Text.StringBuilder(path.Length);
        foreach (char c in path)
        {
            if (c is '%' or '*' or '?' or '@' or '$' or '(' or ')' or ';' or '\'')
            {
                escaped.Append('%').Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }
}
