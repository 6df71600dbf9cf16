namespace Compression.Kernels;

/// <summary>How far a tensor is from its reference (for example a dequantized weight from the original).</summary>
/// <param name="Count">Number of compared elements.</param>
/// <param name="MaxAbsoluteError">Largest <c>|reference - actual|</c>.</param>
/// <param name="MeanSquaredError">Mean of <c>(reference - actual)^2</c>.</param>
/// <param name="SqnrDecibels">Signal to quantization noise ratio, <c>10 log10(sum reference^2 / sum (reference - actual)^2)</c>;
/// +infinity when the tensors are equal.</param>
/// <param name="CosineSimilarity">Cosine of the angle between the two tensors as vectors; 1 when both are zero,
/// 0 when only one is.</param>
public readonly record struct ErrorStatistics(long Count, double MaxAbsoluteError, double MeanSquaredError, double SqnrDecibels, double CosineSimilarity);
