namespace Compression.Onnx;

// CMP41xx: static quantization and calibration. Listed in docs/diagnostics.md.
public static partial class DiagnosticCodes
{
    /// <summary><c>Mode=Static</c> without <c>CalibrationData</c>.</summary>
    public const string StaticNeedsCalibrationData = "CMP4101";

    /// <summary>The source model rejects a calibration sample in ONNX Runtime.</summary>
    public const string CalibrationDataRejected = "CMP4102";

    /// <summary><c>Mode=Static</c> found no node ONNX Runtime's CPU provider runs as an integer kernel.</summary>
    public const string NothingToQuantizeStatically = "CMP4103";

    /// <summary>Calibration never saw a finite value of a tensor that must be quantized (the samples never reach it).</summary>
    public const string ActivationNeverSeen = "CMP4104";

    /// <summary>A model below opset 10 holds an operator whose meaning changes in opset 10, so it cannot take the QDQ form.</summary>
    public const string StaticOpsetTooOld = "CMP4105";
}
