using Onnx;

namespace Compression.Onnx.Tensors;

/// <summary>
/// The model a tensor belongs to, as reading the tensor needs it: the bytes of a tensor stored in an external file,
/// and the file to name in errors. <c>IO.OnnxModel</c> is the implementation; this layer knows only the protobuf types.
/// </summary>
public interface ITensorOwner
{
    /// <summary>The model file, for error messages; <see langword="null"/> for a model built in memory.</summary>
    string? FilePath { get; }

    /// <summary>The raw bytes of <paramref name="tensor"/>, whose data location is external.</summary>
    /// <param name="tensor">A tensor of this model with external data.</param>
    ReadOnlyMemory<byte> GetExternalBytes(TensorProto tensor);
}
