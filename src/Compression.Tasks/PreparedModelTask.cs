using Compression.Onnx;
using Compression.Tasks.Diagnostics;
using Compression.Tasks.Metadata;
using Microsoft.Build.Framework;

namespace Compression.Tasks;

/// <summary>
/// A task that works on one model the sanity check (<see cref="PrepareCompressedModels"/>) already
/// validated: the targets batch it per item. The item's metadata is read again with the same reader,
/// so every task sees exactly the same settings and paths.
/// </summary>
public abstract class PreparedModelTask : Microsoft.Build.Utilities.Task
{
    /// <summary>One item of <c>_CompressedModel</c>, the output of <see cref="PrepareCompressedModels"/>.</summary>
    [Required]
    public ITaskItem Model { get; set; } = null!;

    /// <summary>The project folder; relative paths in the item are resolved against it.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>The folder for everything the build writes, as given to <see cref="PrepareCompressedModels"/>.</summary>
    [Required]
    public string CompressionDirectory { get; set; } = string.Empty;

    /// <inheritdoc />
    public sealed override bool Execute()
    {
        var project = new ProjectContext(
            Path.GetFullPath(ProjectDirectory),
            Model.GetMetadata("Namespace"),
            Path.GetFullPath(Path.Combine(ProjectDirectory, CompressionDirectory)));
        var diagnostics = new List<BuildDiagnostic>();
        ModelItem? model = ModelItemReader.Read(Model, project, diagnostics, checkNames: false);
        foreach (BuildDiagnostic diagnostic in diagnostics)
        {
            Log.LogDiagnostic(diagnostic);
        }

        if (model is null || Log.HasLoggedErrors)
        {
            return false;
        }

        try
        {
            return Run(model) && !Log.HasLoggedErrors;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The crash-proof boundary: an unexpected exception is a coded CMP0000 naming the model (trace in a log under obj), never MSB4018.
            Log.LogDiagnostic(EngineBoundary.ToDiagnostic(e, model.SourcePath, null, project.CompressionDirectory), model.SourcePath);
            return false;
        }
    }

    /// <summary>Does the task's work on the validated item; errors are logged, not thrown.</summary>
    private protected abstract bool Run(ModelItem model);
}
