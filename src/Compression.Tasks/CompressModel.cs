using System.Globalization;
using Compression.Onnx;
using Compression.Onnx.IO;
using Compression.Tasks.Diagnostics;
using Compression.Tasks.Manifest;
using Compression.Tasks.Metadata;
using Compression.Tasks.Output;
using Microsoft.Build.Framework;

namespace Compression.Tasks;

/// <summary>
/// Compresses one model (the targets batch this task per item, and skip it when the outputs are newer
/// than the model, its data and its settings stamp). Thin on purpose: it calls
/// <see cref="ModelCompressor.Compress(string, string, CompressionSettings, CancellationToken)"/> with the resolved settings, writes the manifest and the report from
/// what the engine returns (it never opens the model itself), and logs one line. The source model is only read; every file is written
/// to a temporary file and renamed, so a failed or killed build leaves no truncated output.
/// </summary>
public sealed class CompressModel : PreparedModelTask, ICancelableTask, IDisposable
{
    // The engine's note when the original model rejects every validation input (CompressionReport.Notes).
    private const string ValidationSkipped = "validation skipped: ";

    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>Stops the compression between weights and validation runs (Ctrl+C in the build).</summary>
    public void Cancel() => _cancellation.Cancel();

    /// <summary>Releases the cancellation source (MSBuild hosts may or may not call this; it holds no native resource until waited on).</summary>
    public void Dispose() => _cancellation.Dispose();

    private protected override bool Run(ModelItem model)
    {
        ModelOutputPaths paths = model.Paths;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(paths.Compressed)!);
            AtomicFile.DeleteLeftovers(paths.Compressed);
            CompressionReport report = EngineBoundary.Run(() => ModelCompressor.Compress(model.SourcePath, paths.Compressed, model.Settings, _cancellation.Token), model.SourcePath, model.Settings, Path.GetDirectoryName(paths.Compressed), _cancellation.Token);

            ModelDescription source = report.Source;
            ModelManifest manifest = ManifestFactory.Create(model, source.Signature, source.Bytes, report.CompressedBytes, report.Summary);
            string line = Path.GetFileName(model.SourcePath) + " -> " + report;

            // The report last: its presence (an output of the target) says the compression finished.
            AtomicFile.Refresh(paths.Manifest, ManifestWriter.ToJson(manifest));
            new CompressionReportFile
            {
                SourceFiles = source.ExternalDataFiles,
                OriginalBytes = source.Bytes,
                CompressedBytes = report.CompressedBytes,
                Summary = report.Summary,
                Line = line,
            }.Write(paths.Report);
            File.SetLastWriteTimeUtc(paths.Report, DateTime.UtcNow);

            Log.LogMessage(MessageImportance.High, line);
            foreach (OutputDeviation output in report.Validation?.Outputs ?? [])
            {
                Log.LogMessage(
                    MessageImportance.Normal,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{Path.GetFileName(model.SourcePath)}: output '{output.Name}': max |d| {output.MaxAbsoluteDifference:G3}, mean |d| {output.MeanAbsoluteDifference:G3}, cosine {output.CosineSimilarity:0.######} over {output.ElementCount} values"));
            }

            foreach (CompressionWarning warning in report.Warnings)
            {
                Log.LogDiagnostic(new BuildDiagnostic(warning.Code, Path.GetFileName(model.SourcePath) + ": " + warning.Message, warning.Help, model.SourcePath, IsWarning: true));
            }

            foreach (string note in report.Notes)
            {
                if (note.StartsWith(ValidationSkipped, StringComparison.Ordinal))
                {
                    // Validation was asked for (the default) and did not happen: the user must know.
                    Log.LogDiagnostic(BuildDiagnostics.ValidationSkipped(model.Include, note[ValidationSkipped.Length..], model.SourcePath));
                }
                else
                {
                    Log.LogMessage(MessageImportance.Normal, Path.GetFileName(model.SourcePath) + ": " + note);
                }
            }
        }
        catch (CompressionException e)
        {
            Forget(paths);
            Log.LogDiagnostic(e, model.SourcePath);
        }
        catch (OperationCanceledException)
        {
            Forget(paths);
            Log.LogMessage(MessageImportance.High, Path.GetFileName(model.SourcePath) + ": compression cancelled.");
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Forget(paths);
            Log.LogDiagnostic(BuildDiagnostics.IoFailure(model.Include, paths.Compressed, e.Message, model.SourcePath));
        }
        catch
        {
            // Anything else is a bug: PreparedModelTask reports it as CMP0000; no output of this model may survive it.
            Forget(paths);
            throw;
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// After a failure no earlier output may survive: it would be newer than the inputs, and the next build
    /// would skip the model and ship a compression made with other settings.
    /// </summary>
    private static void Forget(ModelOutputPaths paths)
    {
        try
        {
            File.Delete(paths.Compressed);
            File.Delete(paths.Report);
            AtomicFile.DeleteLeftovers(paths.Compressed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The build fails anyway with the original error; the next one retries the deletion.
        }
    }
}
