using Compression.Onnx;
using Compression.Onnx.Settings;
using Compression.Tasks.Diagnostics;
using Compression.Tasks.Metadata;
using Compression.Tasks.Output;
using Microsoft.Build.Framework;

namespace Compression.Tasks;

/// <summary>
/// A task that works on one model the sanity check (<see cref="PrepareCompressedModels"/>) already
/// validated: the targets batch it per item. It binds nothing again: the names and paths are the prepared
/// item's metadata, the settings are the resolved ones the sanity check wrote into the compression stamp, so
/// every task sees exactly the same settings.
/// </summary>
public abstract class PreparedModelTask : Microsoft.Build.Utilities.Task
{
    /// <summary>One item of <c>_CompressedModel</c>, the output of <see cref="PrepareCompressedModels"/>.</summary>
    [Required]
    public ITaskItem Model { get; set; } = null!;

    /// <summary>The project folder; <see cref="CompressionDirectory"/> is resolved against it.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>The folder for everything the build writes, as given to <see cref="PrepareCompressedModels"/>.</summary>
    [Required]
    public string CompressionDirectory { get; set; } = string.Empty;

    /// <inheritdoc />
    public sealed override bool Execute()
    {
        string targetPath = Model.GetMetadata(SettingsSchema.TargetPath.Name);
        ModelOutputPaths paths = ModelOutputPaths.Under(Path.GetFullPath(Path.Combine(ProjectDirectory, CompressionDirectory)), targetPath);
        CompressionSettings settings;
        try
        {
            settings = SettingsText.Read(Stamp.ReadBody(paths.CompressStamp));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            Log.LogDiagnostic(BuildDiagnostics.IoFailure(Model.ItemSpec, paths.CompressStamp, e.Message, Model.GetMetadata("DefiningProjectFullPath")));
            return false;
        }

        var model = new ModelItem
        {
            Include = Model.ItemSpec,
            SourcePath = Model.GetMetadata("SourcePath"),
            Settings = settings,
            ClassName = Model.GetMetadata(SettingsSchema.ClassName.Name),
            Namespace = Model.GetMetadata(SettingsSchema.Namespace.Name),
            GenerateWrapper = Model.GetMetadata(SettingsSchema.GenerateWrapper.Name) == "true",
            Embed = Model.GetMetadata(SettingsSchema.Embed.Name) == "true",
            TargetPath = targetPath,
            Paths = paths,
        };
        try
        {
            return Run(model) && !Log.HasLoggedErrors;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The crash-proof boundary: an unexpected exception is a coded CMP0000 naming the model (trace in a log under obj), never MSB4018.
            Log.LogDiagnostic(EngineBoundary.ToDiagnostic(e, model.SourcePath, null, Path.GetFullPath(Path.Combine(ProjectDirectory, CompressionDirectory))), model.SourcePath);
            return false;
        }
    }

    /// <summary>Does the task's work on the validated item; errors are logged, not thrown.</summary>
    private protected abstract bool Run(ModelItem model);
}
