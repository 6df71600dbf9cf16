namespace Compression.Manifest;

/// <summary>
/// The manifest the MSBuild task writes and the source generator reads (docs/architecture.md, "Manifest"): the
/// schema version and every JSON property name, in one file compiled into both Compression.Tasks and
/// Compression.Generators (netstandard2.0), so neither side can rename a property alone. Changing the meaning
/// of a property means a new <see cref="SchemaVersion"/>.
/// </summary>
internal static class ManifestContract
{
    /// <summary>The version the task writes and the only one the generator accepts.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Root: the schema version (a whole number).</summary>
    public const string SchemaVersionProperty = "schemaVersion";

    /// <summary>Root: the generated class's name.</summary>
    public const string ClassName = "className";

    /// <summary>Root: the generated class's namespace.</summary>
    public const string Namespace = "namespace";

    /// <summary>Root: the item's Include as written in the project.</summary>
    public const string Source = "source";

    /// <summary>Root: app-relative, '/'-separated path of the compressed model; null when embedded.</summary>
    public const string ModelPath = "modelPath";

    /// <summary>Root: manifest resource name when embedded; null otherwise.</summary>
    public const string ResourceName = "resourceName";

    /// <summary>Root: the object describing the compression (the names below).</summary>
    public const string Compression = "compression";

    /// <summary>Compression: the <c>Quantize</c> setting.</summary>
    public const string Quantize = "quantize";

    /// <summary>Compression: the mode applied (<c>None</c> without quantization).</summary>
    public const string Mode = "mode";

    /// <summary>Compression: the pruning method (<c>None</c> without pruning).</summary>
    public const string Pruning = "pruning";

    /// <summary>Compression: the fraction of weights removed.</summary>
    public const string Sparsity = "sparsity";

    /// <summary>Compression: what was applied, in words.</summary>
    public const string Summary = "summary";

    /// <summary>Compression: bytes of the source model and its external data.</summary>
    public const string OriginalBytes = "originalBytes";

    /// <summary>Compression: bytes of the compressed model; null before the first compression.</summary>
    public const string CompressedBytes = "compressedBytes";

    /// <summary>Root: the model inputs (an array of values).</summary>
    public const string Inputs = "inputs";

    /// <summary>Root: the model outputs (an array of values).</summary>
    public const string Outputs = "outputs";

    /// <summary>Value: the ONNX value name.</summary>
    public const string Name = "name";

    /// <summary>Value: the lower-case ONNX element type (<c>float</c>, <c>int64</c>...).</summary>
    public const string ElementType = "elementType";

    /// <summary>Value: the dimensions; absent when the rank is unknown.</summary>
    public const string Dims = "dims";

    /// <summary>Dim: a fixed size.</summary>
    public const string DimValue = "value";

    /// <summary>Dim: a symbolic size's name.</summary>
    public const string DimParam = "param";
}
