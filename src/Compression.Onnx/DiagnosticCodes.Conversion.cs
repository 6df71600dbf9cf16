namespace Compression.Onnx;

// CMP47xx: opset conversion (TargetOpset) and output formats (Format). Each code is listed in docs/diagnostics.md.
public static partial class DiagnosticCodes
{
    /// <summary>A node cannot be moved across a schema change of its operator (the message names the op and both opsets).</summary>
    public const string OpCannotBeConverted = "CMP4701";

    /// <summary><c>TargetOpset</c> is outside the opsets ONNX Runtime runs, or the model's own opset is too old to convert from.</summary>
    public const string TargetOpsetOutOfRange = "CMP4702";

    /// <summary>An operator does not exist at the target opset (it came later, or the converter does not know it).</summary>
    public const string OpNotInTargetOpset = "CMP4703";

    /// <summary>The model has local functions, whose bodies the converter does not rewrite.</summary>
    public const string FunctionsNotConverted = "CMP4704";

    /// <summary>ONNX Runtime does not load the model converted down: a node uses a type or attribute value the older schema lacks.</summary>
    public const string ConvertedModelRejected = "CMP4705";

    /// <summary>ONNX Runtime could not write the compressed model in its ORT format (<c>Format=Ort</c>).</summary>
    public const string OrtFormatFailed = "CMP4710";
}
