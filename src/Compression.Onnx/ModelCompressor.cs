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
    public static CompressionReport Compress(string sourcePath, string outputPath, CompressionSettings settings, CancellationToken cancellationToken = default) =>
        Compress(sourcePath, outputPath, settings, progress: null, cancellationToken);

    /// <summary>Compresses <paramref name="sourcePath"/> into <paramref name="outputPath"/>, reporting each stage as it starts.</summary>
    /// <param name="sourcePath">The ONNX model to compress.</param>
    /// <param name="outputPath">Where to write the compressed model (replaced atomically; nothing is left behind on failure).</param>
    /// <param name="settings">What to do.</param>
    /// <param name="progress">Told when each stage starts and, in the quantization passes, how much of it is done (from worker threads too), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the work between weights and runs.</param>
    /// <returns>Sizes, what was applied and the validation result.</returns>
    /// <exception cref="CompressionException">Any problem a user can fix: codes CMP1xxx (reading and writing) and CMP4xxx (passes and validation).</exception>
    public static CompressionReport Compress(string sourcePath, string outputPath, CompressionSettings settings, IProgress<CompressionProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(outputPath);
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        SettingsCheck.Validate(settings, sourcePath);

        // ONNX Runtime tells its ORT format from the extension, so an ORT output always ends in .ort.
        if (settings.Format == ModelFormat.Ort) outputPath = Path.ChangeExtension(outputPath, ".ort");

        // Stages: load, each pass, save, validate. Before the model is read, a TargetOpset equal to the model's own opset
        // still counts as a stage; the plan made after loading drops it.
        int total = (settings.Validate ? 3 : 2) + CompressionPasses.Requested(settings, modelOpset: -1).Count(), completed = -1;
        string? current = null;
        void Report(string stage, double fraction)
        {
            if (progress is null) return;
            if (!ReferenceEquals(stage, current)) (current, completed) = (stage, completed + 1);
            progress.Report(new CompressionProgress(stage, completed, total, fraction));
        }

        void Starting(string stage) => Report(stage, 0);
        Starting("load");
        using var onnxModel = OnnxModel.Load(sourcePath);
        MemoryBudget.Check(onnxModel, sourcePath);
        var source = ModelDescription.Of(onnxModel, sourcePath);
        SettingsCheck.ValidateExclusions(settings, onnxModel.Proto, sourcePath);
        var passes = CompressionPasses.Plan(settings, onnxModel.Proto, sourcePath);
        total = (settings.Validate ? 3 : 2) + passes.Count;
        var (context, summary) = Transform(onnxModel, settings, sourcePath, passes, progress is null ? null : Report, cancellationToken);

        // Write into a private folder next to the output under the final file name (so external-data references are
        // right), validate there, then move into place: a failed validation leaves nothing behind.
        string directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        Directory.CreateDirectory(directory);
        string staging = AtomicFile.TemporaryPathFor(Path.Combine(directory, Path.GetFileName(outputPath)));
        Directory.CreateDirectory(staging);
        string temp = Path.Combine(staging, Path.GetFileName(outputPath));
        try
        {
            Starting("save");
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
                Starting("validate");
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

    /// <summary>
    /// Runs the passes <paramref name="settings"/> ask for on an in-memory copy of <paramref name="model"/>: what
    /// <see cref="Compress(string, string, CompressionSettings, CancellationToken)"/> would write, without writing or
    /// validating anything (<c>compress-model inspect</c> shows it per setting).
    /// </summary>
    /// <param name="model">The loaded source model; only read.</param>
    /// <param name="settings">What to do.</param>
    /// <param name="cancellationToken">Stops the work between weights.</param>
    /// <returns>The rewritten copy with the passes' summary and notes; dispose it.</returns>
    /// <exception cref="CompressionException">The same CMP4xxx codes the compression gives for these settings (CMP4002 nothing to compress, CMP47xx conversion refused...).</exception>
    public static CompressionPreview Preview(OnnxModel model, CompressionSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        string sourcePath = model.FilePath ?? "model";
        SettingsCheck.Validate(settings, sourcePath);
        var copy = OnnxModel.FromProto(model.Proto.Clone(), model.BaseDirectory);
        try
        {
            SettingsCheck.ValidateExclusions(settings, copy.Proto, sourcePath);
            var (context, summary) = Transform(copy, settings, sourcePath, CompressionPasses.Plan(settings, copy.Proto, sourcePath), null, cancellationToken);
            return new CompressionPreview(copy, summary, context.Notes);
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="passes"/> on <paramref name="model"/> in place and records what was applied (the summary) in its metadata.</summary>
    private static (CompressionContext Context, string Summary) Transform(OnnxModel model, CompressionSettings settings, string sourcePath, List<ICompressionPass> passes, Action<string, double>? report, CancellationToken cancellationToken)
    {
        var context = new CompressionContext(model, settings, sourcePath);
        foreach (var pass in passes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string stage = CompressionPasses.StageName(pass.Step);
            report?.Invoke(stage, 0);
            context.StageProgress = report is null ? null : fraction => report(stage, fraction);
            pass.Apply(context, cancellationToken);
        }

        context.StageProgress = null;

        string summary = context.Summary.Count == 0 ? "none" : string.Join("; ", context.Summary);
        CompressionMetadata.Write(model.Proto, settings, context, summary);
        return (context, summary);
    }
}
