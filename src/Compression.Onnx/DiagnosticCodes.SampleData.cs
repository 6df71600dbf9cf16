namespace Compression.Onnx;

// CMP42xx: tolerance, fallback, sensitivity, and the calibration/validation data files. Listed in docs/diagnostics.md.
public static partial class DiagnosticCodes
{
    /// <summary>A <c>CalibrationData</c>/<c>ValidationData</c> folder does not exist or holds no sample set.</summary>
    public const string SampleDataMissing = "CMP4201";

    /// <summary>A sample file is truncated, corrupt or not in the format its extension says.</summary>
    public const string SampleFileCorrupt = "CMP4202";

    /// <summary>A sample set lacks a model input, has a file for an input the model does not have, or has one twice.</summary>
    public const string SampleInputNamesMismatch = "CMP4203";

    /// <summary>A sample tensor's element type differs from the model input's.</summary>
    public const string SampleTypeMismatch = "CMP4204";

    /// <summary>A sample tensor's rank or a fixed dimension differs from the model input's.</summary>
    public const string SampleShapeMismatch = "CMP4205";

    /// <summary>A <c>.npy</c> file uses a layout the reader refuses: Fortran order, big-endian, or a structured/object dtype.</summary>
    public const string NpyLayoutUnsupported = "CMP4206";
}
