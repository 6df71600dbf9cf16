namespace Compression.Generators.Model;

/// <summary>Everything the emitter needs to write one wrapper class; equatable, no Roslyn symbols.</summary>
/// <param name="ManifestPath">The manifest file, for diagnostics.</param>
/// <param name="Source">The <c>CompressedModel</c> item's Include as written in the project.</param>
/// <param name="Namespace">The namespace, empty for the global namespace.</param>
/// <param name="ClassName">A valid C# identifier.</param>
/// <param name="ClassNameLocation">Where the class name came from (for collision diagnostics).</param>
/// <param name="ModelPath">Path relative to the app folder, or null when embedded.</param>
/// <param name="ResourceName">The manifest resource name when embedded.</param>
/// <param name="Compression">What the build applied.</param>
/// <param name="Inputs">Model inputs in declaration order.</param>
/// <param name="Outputs">Model outputs in declaration order.</param>
internal sealed record ModelSpec(
    string ManifestPath,
    string Source,
    string Namespace,
    string ClassName,
    LocationInfo ClassNameLocation,
    string? ModelPath,
    string? ResourceName,
    CompressionSpec Compression,
    EquatableArray<TensorSpec> Inputs,
    EquatableArray<TensorSpec> Outputs)
{
    public string FullName => Namespace.Length == 0 ? ClassName : Namespace + "." + ClassName;

    /// <summary>Names of the symbolic dims in first-use order over inputs then outputs.</summary>
    public EquatableArray<string> DimParams { get; init; } = EquatableArray<string>.Empty;
}

/// <summary>The compression the build applied, as the manifest reports it.</summary>
internal sealed record CompressionSpec(
    string Quantize,
    string Mode,
    string Pruning,
    double Sparsity,
    string Summary,
    long? OriginalBytes,
    long? CompressedBytes);

/// <summary>One model input or output.</summary>
/// <param name="OnnxName">The name in the ONNX graph.</param>
/// <param name="ParameterName">Sanitised camelCase identifier of the <c>Run</c>/<c>Bind</c> parameter (possibly <c>@</c>-escaped).</param>
/// <param name="ShapeParameterName">The input's optional shape parameter of <c>Run</c>; empty when all dims are fixed, and for outputs.</param>
/// <param name="PropertyName">Sanitised PascalCase identifier of the result property; empty for inputs.</param>
/// <param name="ShapePropertyName">The output's shape property; empty for scalars and inputs.</param>
/// <param name="ElementType">The mapped element type.</param>
/// <param name="HasRank">False when the model declares no shape (rank unknown).</param>
/// <param name="Dims">The declared dims; empty for a scalar.</param>
internal sealed record TensorSpec(
    string OnnxName,
    string ParameterName,
    string ShapeParameterName,
    string PropertyName,
    string ShapePropertyName,
    ElementType ElementType,
    bool HasRank,
    EquatableArray<DimSpec> Dims)
{
    public bool IsScalar => HasRank && Dims.Count == 0;
}

/// <summary>One dim: fixed (<see cref="Value"/>), symbolic (<see cref="Param"/>) or unknown (both null).</summary>
internal sealed record DimSpec(long? Value, string? Param)
{
    public override string ToString() => Value is long v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : Param ?? "?";
}
