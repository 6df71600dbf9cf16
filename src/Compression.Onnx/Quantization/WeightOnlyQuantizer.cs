namespace Compression.Onnx.Quantization;

/// <summary>
/// Weight-only 8-bit quantization: every eligible float weight, read by any op, is stored as int8/uint8 and expanded
/// back to float by a <see cref="DequantizeEmitter"/> chain producing the original name, so readers are untouched.
/// </summary>
internal static class WeightOnlyQuantizer
{
    /// <summary>Quantizes the candidates not in <paramref name="skip"/>; returns how many weights were quantized.</summary>
    public static int Run(ModelGraphIndex index, CompressionSettings settings, ISet<string> skip, CancellationToken cancellationToken) =>
        Run(index, settings, skip, null, cancellationToken);

    /// <summary>As <see cref="Run(ModelGraphIndex, CompressionSettings, ISet{string}, CancellationToken)"/>, telling <paramref name="weightsDone"/> (weights done, weights) as each is quantized, from worker threads.</summary>
    public static int Run(ModelGraphIndex index, CompressionSettings settings, ISet<string> skip, Action<int, int>? weightsDone, CancellationToken cancellationToken)
    {
        bool signed = settings.Quantize == QuantizationType.Int8;
        var candidates = index.Constants.Values.Where(c => !skip.Contains(c.Name) && WeightSelection.IsCandidate(index, c, settings)).ToList();

        // Arithmetic in parallel, graph edits sequential in a fixed order: deterministic output.
        var quantized = new QuantizedWeight?[candidates.Count];
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

            var (tensors, nodes) = DequantizeEmitter.Emit(index, weight, constant.Name);
            ConstantRewriter.Replace(index, constant, tensors, nodes);
            count++;
        }

        return count;
    }

    /// <summary>
    /// Weight-only dequantization accepts a scale along any axis, so per-channel quantization tries every axis and keeps
    /// the one with the smallest squared reconstruction error (ties keep the conventional output-channel axis). On
    /// Silero VAD this picks the time axis of the STFT basis (the window envelope) and the frequency axis of the first
    /// encoder conv, halving the output deviation against output-channel scales. Scales and zero points still follow
    /// ONNX Runtime's formulas exactly.
    /// </summary>
    internal static QuantizedWeight QuantizeBestAxis(float[] values, ConstantTensor constant, bool perChannel, bool signed, bool symmetric)
    {
        long[] dims = [.. constant.Tensor.Dims];
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
