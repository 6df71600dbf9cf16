namespace Compression.Onnx;

public static partial class DiagnosticCodes
{
    /// <summary><c>Tolerance</c> does not follow its grammar.</summary>
    public const string InvalidTolerance = "CMP4210";

    /// <summary>A <c>Tolerance</c> rule names an output the model does not have.</summary>
    public const string ToleranceUnknownOutput = "CMP4211";

    /// <summary>Warning: the accuracy budget was checked on synthesised inputs, and the model has integer inputs (filled with 0).</summary>
    public const string ToleranceOnSynthesisedInputs = "CMP4212";
}
