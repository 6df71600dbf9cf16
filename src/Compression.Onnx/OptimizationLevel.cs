namespace Compression.Onnx;

/// <summary>Offline ONNX Runtime graph optimisation applied to the compressed model: the <c>Optimize</c> item metadata.</summary>
public enum OptimizationLevel
{
    /// <summary>No offline optimisation.</summary>
    None,

    /// <summary>Runtime-independent rewrites such as constant folding.</summary>
    Basic,

    /// <summary>Basic plus fusions of common patterns.</summary>
    Extended,

    /// <summary>Everything, including layout changes.</summary>
    All,
}
