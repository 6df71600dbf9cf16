namespace Compression.Onnx.Validation.Tolerance;

/// <summary>What one rule of a <see cref="AccuracyBudget"/> measures on an output.</summary>
public enum ToleranceMetric
{
    /// <summary><c>maxabs</c>: largest |original − compressed| over every element of every input (must be at most the bound).</summary>
    MaxAbs,

    /// <summary><c>meanabs</c>: mean |original − compressed| over every element of every input (at most the bound).</summary>
    MeanAbs,

    /// <summary><c>cosine</c>: the smallest per-input cosine similarity (at least the bound).</summary>
    Cosine,

    /// <summary><c>top1</c>: the fraction of rows (over the last axis, every input) whose argmax agrees (at least the bound).</summary>
    Top1,
}
