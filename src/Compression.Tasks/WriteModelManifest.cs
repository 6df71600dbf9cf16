using Compression.Onnx;
using Compression.Onnx.IO;
using Compression.Tasks.Diagnostics;
using Compression.Tasks.Manifest;
using Compression.Tasks.Metadata;
using Compression.Tasks.Output;

namespace Compression.Tasks;

/// <summary>
/// Writes the manifest of one model without compressing it: in design-time builds (the IDE needs the
/// generated class, not the compression) and when only the names changed. The sizes come from the last
/// compression's report when it matches the current settings; otherwise <c>compressedBytes</c> is null.
/// </summary>
public sealed class WriteModelManifest : PreparedModelTask
{
    private protected override bool Run(ModelItem model)
    {
        try
        {
            ModelDescription source = ModelDescription.Read(model.SourcePath);
            CompressionReportFile? report = CurrentReport(model);
            ModelManifest manifest = ManifestFactory.Create(model, source.Signature, source.Bytes, report?.CompressedBytes, report?.Summary);
            AtomicFile.Refresh(model.Paths.Manifest, ManifestWriter.ToJson(manifest));
        }
        catch (CompressionException e)
        {
            Log.LogDiagnostic(e, model.SourcePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LogDiagnostic(BuildDiagnostics.IoFailure(model.Include, model.Paths.Manifest, e.Message, model.SourcePath));
        }

        return !Log.HasLoggedErrors;
    }

    // A report older than the settings stamp describes a compression with other settings.
    private static CompressionReportFile? CurrentReport(ModelItem model)
    {
        ModelOutputPaths paths = model.Paths;
        if (!File.Exists(paths.Compressed) || !File.Exists(paths.Report)
            || File.GetLastWriteTimeUtc(paths.Report) < File.GetLastWriteTimeUtc(paths.CompressStamp))
        {
            return null;
        }

        return CompressionReportFile.Read(paths.Report);
    }
}
