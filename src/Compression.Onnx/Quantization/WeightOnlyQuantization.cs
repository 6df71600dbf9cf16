using Compression.Onnx.Graph;
using Compression.Onnx.Passes;

namespace Compression.Onnx.Quantization;

/// <summary>
/// Weight-only 8-bit quantization: every eligible float weight not claimed by an earlier rewrite, read by any op, is
/// stored as int8/uint8 and expanded back to float by a <see cref="DequantizeEmitter"/> chain producing the original
/// name, so readers are untouched. The 8-bit pass runs it after the integer ops; the 4-bit pass runs it last, for the
/// weights the 4-bit rewrites left (<paramref name="eightBitType"/> then says Int8 or UInt8).
/// </summary>
/// <param name="eightBitType">The 8-bit type to store; <see langword="null"/> uses the settings' own type.</param>
internal sealed class WeightOnlyQuantization(QuantizationType? eightBitType = null) : IRewrite
{
    /// <summary>The count the rewrite records: weights stored as 8 bits with a dequantization.</summary>
    public const string Dequantized = "weights dequantized";

    public bool CountsWeights => true;

    public void Apply(RewriteContext context, CancellationToken cancellationToken)
    {
        var model = context.Graph;
        var settings = eightBitType is { } type ? context.Settings with { Quantize = type, Mode = QuantizationMode.WeightOnly } : context.Settings;
        bool signed = settings.Quantize == QuantizationType.Int8;
        var candidates = model.Constants.Values.Where(c => !context.IsClaimed(c.Name) && WeightSelection.IsCandidate(c, settings)).ToList();

        // Arithmetic in parallel, graph edits sequential in a fixed order: deterministic output.
        var quantized = new QuantizedWeight?[candidates.Count];
        var weightsDone = context.WeightsDone;
        int done = 0;
        Parallel.For(0, candidates.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            float[] values = candidates[i].ReadFloats();
            quantized[i] = WeightSelection.IsFinite(values) ? QuantizeBestAxis(values, candidates[i], settings.PerChannel, signed, settings.EffectiveSymmetric) : null;
            weightsDone?.Invoke(Interlocked.Increment(ref done), candidates.Count);
        });
        weightsDone?.Invoke(candidates.Count, candidates.Count);

        int count = 0;
        for (int i = 0; i < candidates.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var constant = candidates[i];
            if (quantized[i] is not { } weight)
            {
                continue;
            }

            var (tensors, nodes) = DequantizeEmitter.Emit(model, weight, constant.Name, settings.WeightOnlyForm);
            model.ReplaceWeight(constant, tensors, nodes);
            context.Claim(constant.Name);
            foreach (var tensor in tensors) context.Claim(tensor.Name);
            count++;
        }

        context.Record(Dequantized, count);
    }

    /// <summary>
    /// Weight-only dequantization accepts a scale along any axis, so per-channel quantization tries every axis and keeps
    /// the one with the smallest squared reconstruction error (ties keep the conventional output-channel axis). On
    /// Silero VAD this picks the time axis of the STFT basis (the window envelope) and the frequency axis of the first
    /// encoder conv, halving the output deviation against output-channel scales. Scales and zero points still follow
    /// ONNX Runtime's formulas exactly.
    /// </summary>
    internal static QuantizedWeight QuantizeBestAxis(float[] values, Weight constant, bool perChannel, bool signed, bool symmetric)
    {
        long[] dims = [.. constant.Dims];
        int? preferred = WeightSelection.ChannelAxis(constant, perChannel);
        var best = QuantizedWeight.Quantize(values, dims, preferred, signed, symmetric);
        if (preferred is null) return best;
        double bestError = best.SquaredError(values);
        for (int axis = 0; axis < dims.Length; axis++)
        {
            if (axis == preferred || dims[axis] <= 1) continue;
            var candidate = QuantizedWeight.Quantize(values, dims, axis, signed, symmetric);
            double error = candidate.SquaredError(values);
            if (error < bestError)
            {
                best = candidate;
                bestError = error;
            }
        }

        return best;
    }
}
