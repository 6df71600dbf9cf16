namespace Compression.Onnx.Graph;

/// <summary>Where a weight is stored in its graph.</summary>
public enum WeightStorage
{
    /// <summary>A dense tensor in <c>graph.initializer</c>.</summary>
    Initializer,

    /// <summary>A COO tensor in <c>graph.sparse_initializer</c>.</summary>
    SparseInitializer,

    /// <summary>
    /// A <c>Constant</c> node, with any of <c>value</c>, <c>value_float(s)</c>, <c>value_int(s)</c>,
    /// <c>value_string(s)</c> or <c>sparse_value</c>.
    /// </summary>
    ConstantNode,
}
