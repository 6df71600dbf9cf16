using Onnx;

namespace Compression.Onnx.Tensors;

/// <summary>Throw helpers for tensor errors, so the reading code stays short.</summary>
internal static class TensorErrors
{
    public static CompressionException InvalidShape(string tensorName, string reason, string? filePath) => new(
        DiagnosticCodes.InvalidTensorShape,
        $"Tensor '{tensorName}' has an invalid shape: {reason}.",
        filePath,
        "The model is damaged or was written by a faulty tool: re-export it. Dimensions must be non-negative and their product must fit in 64 bits.");

    public static CompressionException DataMismatch(TensorProto tensor, string reason, ITensorOwner? model) =>
        DataMismatch(tensor, reason, model, model?.FilePath);

    public static CompressionException DataMismatch(TensorProto tensor, string reason, ITensorOwner? model, string? filePath) => new(
        DiagnosticCodes.TensorDataMismatch,
        $"The data of {TensorData.Describe(tensor)} does not match its type and shape: {reason}.",
        filePath ?? model?.FilePath,
        "The model is damaged or was written by a faulty tool: re-export it, or check that its external-data files belong to it.");

    public static CompressionException NotFloat(TensorProto tensor, ITensorOwner? model) =>
        Unsupported(tensor, "read as floats (only float, float16, bfloat16 and double can)", model);

    public static CompressionException Unsupported(TensorProto tensor, string what, ITensorOwner? model) => new(
        DiagnosticCodes.UnsupportedElementType,
        $"{Capitalize(TensorData.Describe(tensor))} of element type {ElementTypes.GetName(tensor.DataType)} cannot be {what}.",
        model?.FilePath,
        "This is a limitation of the operation that was asked for: exclude the tensor or its nodes from compression.");

    public static CompressionException TooLargeForArray(TensorProto tensor, ITensorOwner? model) => new(
        DiagnosticCodes.InvalidTensorShape,
        $"{Capitalize(TensorData.Describe(tensor))} has more elements than one .NET array can hold.",
        model?.FilePath,
        "Tensors above 2^31 elements are not supported; split the weight in the exporter.");

    private static string Capitalize(string text) => string.Concat(char.ToUpperInvariant(text[0]).ToString(), text.AsSpan(1));
}
