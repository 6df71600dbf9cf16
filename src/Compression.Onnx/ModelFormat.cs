namespace Compression.Onnx;

/// <summary>The file format of the compressed model: the <c>Format</c> item metadata.</summary>
public enum ModelFormat
{
    /// <summary>An ONNX protobuf file.</summary>
    Onnx,

    /// <summary>ONNX Runtime's flatbuffer format.</summary>
    Ort,
}
