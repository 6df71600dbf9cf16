namespace Compression.Onnx;

// CMP4xxx: compression passes and validation. Each code is listed with cause and fix in docs/diagnostics.md.
public static partial class DiagnosticCodes
{
    /// <summary>A setting asks for a compression this version of the engine does not implement.</summary>
    public const string UnsupportedSetting = "CMP4001";

    /// <summary>Quantization was requested but the model has no float weight the pass can compress.</summary>
    public const string NothingToCompress = "CMP4002";

    /// <summary><c>ExcludeOps</c> names an operator type that no node of the model has.</summary>
    public const string UnknownExcludedOp = "CMP4003";

    /// <summary><c>ExcludeNodes</c> names a node the model does not have.</summary>
    public const string UnknownExcludedNode = "CMP4004";

    /// <summary>Two settings contradict each other or a value is out of range.</summary>
    public const string InvalidSettings = "CMP4005";

    /// <summary>The model's opset cannot express the requested form (for example bfloat16 before opset 13).</summary>
    public const string OpsetTooOld = "CMP4006";

    /// <summary>The original model cannot be run in ONNX Runtime, so the result cannot be validated.</summary>
    public const string OriginalModelFailsToRun = "CMP4010";

    /// <summary>The compressed model fails to load or run in ONNX Runtime.</summary>
    public const string CompressedModelFailsToRun = "CMP4011";

    /// <summary>The compressed model's outputs deviate from the original's by more than <c>Tolerance</c>.</summary>
    public const string ToleranceExceeded = "CMP4012";

    /// <summary>The validation data folder is missing, empty, or its tensors do not match the model's inputs.</summary>
    public const string InvalidValidationData = "CMP4013";
}
