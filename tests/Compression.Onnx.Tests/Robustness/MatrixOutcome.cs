using Compression.Onnx.Tests.Pipeline;
using Compression.Onnx.Tests.Validation;

namespace Compression.Onnx.Tests.Robustness;

/// <summary>
/// One model under one setting, the way a build runs it (through <see cref="EngineBoundary"/>): it either compresses
/// (loads and runs in ONNX Runtime, which the engine's validation does, passes onnx.checker, stays within a loose
/// bound of the original) or stops with a documented "not applicable" code. Anything else fails the test.
/// </summary>
internal static class MatrixOutcome
{
    /// <summary>Codes that mean "this setting does not apply to this model": documented, the user's to choose.</summary>
    public static readonly IReadOnlySet<string> NotApplicable = new HashSet<string>(StringComparer.Ordinal)
    {
        DiagnosticCodes.UnsupportedSetting,          // CMP4001 a setting no pass implements (BFloat16 Full)
        DiagnosticCodes.NothingToCompress,           // CMP4002 no float weight the 8/16-bit passes take
        DiagnosticCodes.OpsetTooOld,                 // CMP4006 bfloat16 before opset 13
        DiagnosticCodes.NothingToQuantizeInFourBits, // CMP4402
        DiagnosticCodes.NothingToPrune,              // CMP4602
        DiagnosticCodes.NoPrunableChannels,          // CMP4603
        DiagnosticCodes.OriginalModelFailsToRun,     // CMP4010 the original itself does not run in ONNX Runtime (corpus: Gemm-6)
    };

    /// <summary>
    /// Runs the model under the setting; returns the code when it does not apply, null when it compressed. With
    /// <paramref name="checkLater"/> the output is kept and its path added there, for one batched onnx.checker run.
    /// </summary>
    public static string? Check(string source, string settingName, string workDirectory, List<string>? checkLater = null)
    {
        CompressionSettings settings = SettingMatrix.Named(settingName);
        string output = Path.Combine(workDirectory, Path.GetFileNameWithoutExtension(source) + "." + settingName.Replace(' ', '_').Replace(':', '-') + ".onnx");
        CompressionReport report;
        try
        {
            report = EngineBoundary.Run(() => ModelCompressor.Compress(source, output, settings), source, settings, workDirectory);
        }
        catch (CompressionException e)
        {
            Assert.IsTrue(NotApplicable.Contains(e.Code), $"{Path.GetFileName(source)} x {settingName}: {e.Code} is not a 'does not apply' code: {e.Message}");
            Assert.AreEqual(source, e.FilePath);
            Assert.IsFalse(File.Exists(output), "a failed compression leaves no output");
            return e.Code;
        }

        if (checkLater is null) OnnxChecker.AssertValid(output);
        if (report.Validation is { } validation)
        {
            double bound = CosineBound(settings);
            Assert.IsGreaterThanOrEqualTo(bound, validation.MinCosineSimilarity, $"{Path.GetFileName(source)} x {settingName}: cosine {validation.MinCosineSimilarity} over {validation.InputCount} inputs");
        }

        if (checkLater is null) File.Delete(output);
        else checkLater.Add(output);
        return null;
    }

    /// <summary>
    /// Loose, per method, not per CPU: 16-bit floats keep 11 (8) significant bits, 8-bit integers 1/255 of a channel's
    /// range (0.95 leaves room for the int16 saturation of AVX2 integer products, ORT-FACTS), 4-bit 1/15 of a block's.
    /// Pruning half of a real model's weights without fine-tuning changes its outputs (measured cosine 0.12 to 0.3 on
    /// the classifier and the VAD): no bound there beyond "it ran", the user's budget is Tolerance.
    /// </summary>
    private static double CosineBound(CompressionSettings settings) => settings.Quantize switch
    {
        QuantizationType.Float16 => 0.999,
        QuantizationType.BFloat16 => 0.99,
        QuantizationType.Int8 or QuantizationType.UInt8 => 0.95,
        QuantizationType.Int4 or QuantizationType.UInt4 => 0.8,
        _ => -1,
    };

    public static string NewDirectory() => PassTestFiles.NewTempDirectory();

    /// <summary>onnx.checker over many outputs in a few processes (see <see cref="OnnxChecker.CheckAll"/>).</summary>
    public static void AssertAllValid(IReadOnlyList<string> outputs)
    {
        if (outputs.Count == 0) return;
        if (!OnnxChecker.IsAvailable)
        {
            OnnxChecker.AssertValid(outputs[0]); // notes the missing requirement, fails under CI
            return;
        }

        var failures = OnnxChecker.CheckAll(outputs);
        Assert.IsEmpty(failures, string.Join("\n", failures.Take(10).Select(f => f.Key + ": " + f.Value)));
    }
}
