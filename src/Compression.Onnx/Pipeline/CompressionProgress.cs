namespace Compression.Onnx;

/// <summary>
/// Where a running compression is, reported by <see cref="ModelCompressor"/> when each stage starts: the stages are
/// the ones the settings plan (load, each pass, save, validate), so a host can draw an honest bar of stages done.
/// </summary>
/// <param name="Stage">The stage starting now, in the settings' words: <c>load</c>, <c>TargetOpset</c>, <c>Pruning</c>, <c>Quantize</c>, <c>Optimize</c>, <c>Format</c>, <c>save</c>, <c>validate</c>.</param>
/// <param name="Completed">Stages already finished.</param>
/// <param name="Total">Stages planned for this model.</param>
public readonly record struct CompressionProgress(string Stage, int Completed, int Total);
