namespace Compression.Onnx;

/// <summary>How weights are chosen for removal when <see cref="CompressionSettings.Sparsity"/> is above zero: the <c>Pruning</c> item metadata.</summary>
public enum PruningMethod
{
    /// <summary>The smallest weights of each tensor are set to zero.</summary>
    Unstructured,

    /// <summary>The smallest weights across all tensors are set to zero.</summary>
    Global,

    /// <summary>Two of every four consecutive weights are set to zero (2:4 structured sparsity).</summary>
    TwoOfFour,

    /// <summary>Whole output channels or neurons are removed, so the model really shrinks.</summary>
    Channel,
}
