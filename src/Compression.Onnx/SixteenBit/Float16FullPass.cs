using System.Globalization;
using System.Text.RegularExpressions;
using Compression.Onnx.Fusion;
using Compression.Onnx.Graph;
using Compression.Onnx.Passes;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Onnx.SixteenBit;

/// <summary>
/// <c>Quantize="Float16"</c>, <c>Mode="Full"</c>: the whole computation in float16 with float32 inputs and outputs.
/// Which op types ONNX Runtime's CPU provider can run in float16 depends on its version and the CPU (x64 has few
/// float16 kernels), so the block list is found by asking it: the converted model is loaded, and each op type it
/// reports without a float16 kernel is blocked (kept in float32 between casts) until the model loads.
/// </summary>
internal sealed partial class Float16FullPass : RewritePass
{
    private const int MaxProbes = 64;
    private const string Float32Ops = "compression.float32_ops";

    public override CompressionStep Step => CompressionStep.Quantize;

    public override bool Supports(CompressionSettings settings) => settings.Quantize == QuantizationType.Float16 && settings.EffectiveMode == QuantizationMode.Full;

    public override IReadOnlyList<IRewrite> Rewrites(CompressionSettings settings) => [new BatchNormFold(), new FullConversion(), new CompactValueNames()];

    protected override void Check(RewriteContext context)
    {
        if (context.Pass.Model.Proto.Graph.Node.Any(Subgraphs.Any))
        {
            throw new CompressionException(DiagnosticCodes.UnsupportedSetting,
                "Mode=Full does not convert models with control flow (If, Loop, Scan) yet.", context.SourcePath,
                "Use Mode=WeightOnly: it stores every weight, including those inside subgraphs, in 16 bits.");
        }
    }

    protected override void Report(RewriteContext context)
    {
        int folded = context.Count(BatchNormFold.Folded);
        string kept = context.Pass.Metadata[Float32Ops];
        context.Pass.Summary.Add(string.Create(CultureInfo.InvariantCulture, $"Float16 full (float32 kept for: {kept}{(folded > 0 ? $"; {folded} BatchNormalization folded" : string.Empty)})"));
        context.Pass.Metadata["compression.batchnorm_folded"] = folded.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Converts the whole graph (<see cref="Float16GraphConverter"/>), loading the result in ONNX Runtime and blocking each
    /// op type it reports without a float16 kernel until the model loads; records the blocked ops in the metadata.
    /// </summary>
    private sealed class FullConversion : IRewrite
    {
        public void Apply(RewriteContext context, CancellationToken cancellationToken)
        {
            var proto = context.Pass.Model.Proto;
            var original = proto.Graph.Clone();
            var blocked = new SortedSet<string>(StringComparer.Ordinal);
            string probe = Path.Combine(Path.GetTempPath(), "cmp-fp16-probe-" + Guid.NewGuid().ToString("N")[..8] + ".onnx");
            try
            {
                for (int attempt = 0; ; attempt++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    proto.Graph = Float16GraphConverter.Convert(original, blocked);
                    File.WriteAllBytes(probe, proto.ToByteArray());
                    string? missing = MissingFloat16Kernel(probe, context.SourcePath);
                    if (missing is null) break;
                    if (attempt == MaxProbes || !blocked.Add(missing))
                    {
                        throw new CompressionException(DiagnosticCodes.CompressedModelFailsToRun,
                            $"The float16 model still fails to load in ONNX Runtime after keeping {string.Join(", ", blocked)} in float32 (last: {missing}).", context.SourcePath,
                            "Use Mode=WeightOnly, or exclude the op with ExcludeOps.");
                    }
                }
            }
            finally
            {
                File.Delete(probe);
            }

            context.GraphChanged();
            string kept = blocked.Count == 0 ? "none" : string.Join(", ", blocked);
            context.Pass.Metadata[Float32Ops] = kept;
            context.Pass.Notes.Add("Mode=Full: ops without a float16 kernel in this ONNX Runtime run in float32 between casts: " + kept);
        }
    }

    /// <summary>The op type ONNX Runtime reports as having no kernel for the model's types, or null when it loads.</summary>
    private static string? MissingFloat16Kernel(string path, string sourcePath)
    {
        try
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var session = new InferenceSession(path, options);
            return null;
        }
        catch (OnnxRuntimeException e)
        {
            var m = NoKernel().Match(e.Message);
            if (m.Success) return m.Groups[1].Value;
            m = BadType().Match(e.Message);
            if (m.Success) return m.Groups[1].Value;
            if (FailsToLoad(sourcePath) is { } original)
            {
                // Not the conversion's fault: the model never ran in this ONNX Runtime (the corpus's Gemm-6 does not).
                throw new CompressionException(DiagnosticCodes.OriginalModelFailsToRun, "ONNX Runtime cannot load the original model: " + original.Message, sourcePath,
                    "Compression needs a model ONNX Runtime can run: re-export it with a newer opset.", original);
            }

            throw new CompressionException(DiagnosticCodes.CompressedModelFailsToRun, "The float16 model fails to load in ONNX Runtime: " + e.Message, sourcePath,
                "Use Mode=WeightOnly; this is a defect of the float16 conversion for this model.", e);
        }
    }

    private static OnnxRuntimeException? FailsToLoad(string path)
    {
        try
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var session = new InferenceSession(path, options);
            return null;
        }
        catch (OnnxRuntimeException e)
        {
            return e;
        }
    }

    [GeneratedRegex(@"implementation for (\w+)\(")]
    private static partial Regex NoKernel();

    [GeneratedRegex(@"of operator \((\w+)\)")]
    private static partial Regex BadType();
}
