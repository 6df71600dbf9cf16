namespace Compression.Onnx;

/// <summary>How far one output of the compressed model is from the original's, over all validation inputs.</summary>
/// <param name="Name">The output's name.</param>
/// <param name="MaxAbsoluteDifference">Largest |original − compressed| over every element of every input.</param>
/// <param name="MeanAbsoluteDifference">Mean |original − compressed| over every element of every input.</param>
/// <param name="CosineSimilarity">Smallest cosine similarity between the original and compressed output of one input (1 = same direction; 1 when both are zero).</param>
/// <param name="ElementCount">Elements compared, over all inputs.</param>
/// <param name="Top1Agreement">Fraction of rows (slices along the last axis, over all inputs) whose argmax (first maximum) is the same in both models; 1 for a scalar output.</param>
public sealed record OutputDeviation(string Name, double MaxAbsoluteDifference, double MeanAbsoluteDifference, double CosineSimilarity, long ElementCount, double Top1Agreement = 1);
