namespace Compression.Onnx.FourBit;

/// <summary>How a float weight is stored by <see cref="FourBitQuantizer"/>.</summary>
internal enum WeightRole
{
    /// <summary>Left in float (the reason is noted).</summary>
    KeepFloat,

    /// <summary>The B input of MatMul / Gemm nodes: <c>MatMulNBits</c>.</summary>
    MatMulB,

    /// <summary>The data of axis-0 Gather nodes (an embedding table): <c>GatherBlockQuantized</c>.</summary>
    Embedding,

    /// <summary>Any other weight of rank 2 or more: blocked 4-bit <c>DequantizeLinear</c> (opset 21+) or 8-bit.</summary>
    Other,
}
