using System.Diagnostics;
using Compression.Onnx.Conversion;
using Compression.Onnx.IO;
using Compression.Onnx.Passes;
using Compression.Onnx.Pipeline;
using Compression.Onnx.Robustness;
using Compression.Onnx.Validation.Tolerance;

namespace Compression.Onnx;

/// <summary>
/// The engine's entry point: load a model, run the passes the settings ask for, record what was applied in
/// <c>metadata_props</c>, check the result against the original in ONNX Runtime, and write it atomically.
/// </summary>
public static class ModelCompressor
{
    /// <summary>Prefix of the <c>metadata_props</c> keys the engine writes.</summary>
    public const string MetadataPrefix = "compression.";

    /// <summary>Compresses <paramref name="sourcePath"/> into <paramref name="outputPath"/>; the source is only read.</summary>
    /// <param name="sourcePath">The ONNX model to compress.</param>
    /// <param name="outputPath">Where to write the compressed model (replaced atomically; nothing is left behind on failure).</param>
    /// <param name="settings">What to do.</param>
    /// <param name="cancellationToken">Stops the work between weights and runs.</param>
    /// <returns>Sizes, what was applied and the validation result.</returns>
    /// <exception cref="CompressionException">Any problem a user can fix: codes CMP1xxx (reading and writing) and CMP4xxx (passes and validation).</exception>
    public static CompressionReport Compress(string sourcePath, string outputPath, CompressionSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(outputPath);
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        SettingsCheck.Validate(settings, sourcePath);

        // ONNX Runtime tells its ORT format from the extension, so an ORT output always ends in .ort.
        if (settings.Format == ModelFormat.Ort) outputPath = Path.ChangeExtension(outputPath, ".ort");

        using var onnxModel = OnnxModel.Load(sourcePath);
        MemoryBudget.Check(onnxModel, sourcePath);
        var model = onnxModel.Proto;
        var source = ModelDescription.Of(onnxModel, sourcePath);
        SettingsCheck.ValidateExclusions(settings, model, sourcePath);
        var context = new CompressionContext(onnxModel, settings, sourcePath);
        var passes = CompressionPasses.Plan(settings, model, sourcePath);
        foreach (var pass in passes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            pass.Apply(context, cancellationToken);
        }

        string summary = context.Summary.Count == 0 ? "none" : string.Join("; ", context.Summary);
        CompressionMetadata.Write(model, settings, context, summary);

        // Write into a private folder next to the output under the final file name (so external-data references are
        // right), validate there, then move into place: a failed validation leaves nothing behind.
        string directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        Directory.CreateDirectory(directory);
        string staging = AtomicFile.TemporaryPathFor(Path.Combine(directory, Path.GetFileName(outputPath)));
        Directory.CreateDirectory(staging);
        string temp = Path.Combine(staging, Path.GetFileName(outputPath));
        try
        {
            if (settings.Format == ModelFormat.Ort)
            {
                string onnxTemp = Path.Combine(staging, "model.onnx");
                onnxModel.Save(onnxTemp);
                OrtFormatWriter.Write(onnxTemp, temp, sourcePath);
                foreach (string file in Directory.GetFiles(staging).Where(f => f != temp)) File.Delete(file);
            }
            else
            {
                onnxModel.Save(temp);
            }
            ValidationReport? validation = null;
            var notes = new List<string>(context.Notes);
            var warnings = new List<CompressionWarning>();
            if (settings.Validate)
            {
                validation = AccuracyCheck.Validate(sourcePath, temp, settings, warnings, cancellationToken);
                if (validation.SkippedReason is { } reason)
                {
                    notes.Add("validation skipped: " + reason);
                    validation = null;
                }
            }

            long compressedBytes = 0;
            foreach (string file in Directory.GetFiles(staging))
            {
                compressedBytes += new FileInfo(file).Length;
                File.Move(file, Path.Combine(directory, Path.GetFileName(file)), overwrite: true);
            }

            return new CompressionReport(sourcePath, outputPath, source, compressedBytes, summary, context.Metadata, notes, validation, clock.Elapsed)
            {
                Warnings = warnings,
            };
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
