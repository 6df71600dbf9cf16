namespace Compression.Tasks.Manifest;

/// <summary>
/// Everything the source generator learns about one model (docs/architecture.md, "Manifest", schema
/// version 1). The generator never opens the ONNX file; this is its only input.
/// </summary>
internal sealed record ModelManifest
{
    public required string ClassName { get; init; }
    public required string Namespace { get; init; }

    /// <summary>The item's Include as written in the project.</summary>
    public required string Source { get; init; }

    /// <summary>App-relative, '/'-separated path of the compressed model; null when embedded.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Manifest resource name when embedded; null otherwise.</summary>
    public string? ResourceName { get; init; }

    public required ManifestCompression Compression { get; init; }
    public required IReadOnlyList<ManifestValue> Inputs { get; init; }
    public required IReadOnlyList<ManifestValue> Outputs { get; init; }
}

/// <summary>The settings applied and the sizes; <see cref="CompressedBytes"/> is null until a (non design-time) build compressed the model.</summary>
internal sealed record ManifestCompression(
    string Quantize, string Mode, string Pruning, double Sparsity, string Summary, long OriginalBytes, long? CompressedBytes);

/// <summary>One model input or output.</summary>
/// <param name="Name">The ONNX value name.</param>
/// <param name="ElementType">The lower-case ONNX element type name (<c>float</c>, <c>int64</c>...).</param>
/// <param name="Dims">Null when the rank is unknown; empty for a scalar.</param>
internal sealed record ManifestValue(string Name, string ElementType, IReadOnlyList<ManifestDim>? Dims);

/// <summary>A dimension: fixed (<see cref="Value"/>), symbolic (<see cref="Param"/>) or unknown (neither).</summary>
internal sealed record ManifestDim(long? Value, string? Param);
