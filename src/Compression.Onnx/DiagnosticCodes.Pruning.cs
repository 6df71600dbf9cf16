namespace Compression.Onnx;

// CMP46xx: pruning passes. Each code is listed with cause and fix in docs/diagnostics.md.
public static partial class DiagnosticCodes
{
    /// <summary>A pruning setting is out of range: sparsity outside 0..0.99, an N:M pattern that is not <c>N:M</c> with 0 &lt; N &lt; M &lt;= 64, a layer cap below the sparsity.</summary>
    public const string InvalidPruningSettings = "CMP4601";

    /// <summary>Pruning was requested but the model has no weight the pruner can prune (all too small, excluded, or not float).</summary>
    public const string NothingToPrune = "CMP4602";

    /// <summary>Channel pruning was requested but no channel group of the model can be removed safely; the message lists why.</summary>
    public const string NoPrunableChannels = "CMP4603";

    /// <summary>An N:M mask written by the pruner breaks the pattern (a defect of the pruner, checked before saving).</summary>
    public const string InvalidSparsityPattern = "CMP4604";
}
