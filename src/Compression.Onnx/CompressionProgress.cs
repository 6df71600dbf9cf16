namespace Compression.Onnx;

/// <summary>
/// Where a running compression is, reported by <see cref="ModelCompressor"/> when each stage starts: the stages are
/// the ones the settings plan (load, each pass, save, validate), so a host can draw an honest bar of stages done; the
/// quantization passes also report the share of their weights done (<see cref="StageFraction"/>).
/// </summary>
/// <param name="Stage">The stage starting now, in the settings' words: <c>load</c>, <c>TargetOpset</c>, <c>Pruning</c>, <c>Quantize</c>, <c>Optimize</c>, <c>Format</c>, <c>save</c>, <c>validate</c>.</param>
/// <param name="Completed">Stages already finished.</param>
/// <param name="Total">Stages planned for this model. Known once the model is read; the first report (load) counts a <c>TargetOpset</c> stage whenever the setting is given, which the plan drops when it equals the model's own opset.</param>
/// <param name="StageFraction">How much of the current stage is done, 0 to 1, where the stage counts its weights (the quantization passes); 0 otherwise.</param>
public readonly record struct CompressionProgress(string Stage, int Completed, int Total, double StageFraction = 0);
