using System.Globalization;

namespace Compression.Onnx.FourBit;

/// <summary>What <see cref="FourBitQuantizer"/> did: how many weights got which precision, and why others did not.</summary>
public sealed record FourBitReport
{
    /// <summary>Weights now stored in <c>MatMulNBits</c> (4 bits), read by MatMul or Gemm nodes.</summary>
    public int MatMulNBitsWeights { get; init; }

    /// <summary><c>MatMul</c> nodes rewritten to <c>MatMulNBits</c>.</summary>
    public int MatMulNodes { get; init; }

    /// <summary><c>Gemm</c> nodes rewritten to <c>MatMulNBits</c> (with bias, alpha and beta carried over).</summary>
    public int GemmNodes { get; init; }

    /// <summary>Embedding tables now read by <c>GatherBlockQuantized</c> (4 bits).</summary>
    public int GatherBlockQuantizedWeights { get; init; }

    /// <summary>Other weights stored as opset-21 blocked int4/uint4 with a <c>DequantizeLinear</c> (opset 21 and later).</summary>
    public int BlockedFourBitWeights { get; init; }

    /// <summary>Weights stored as 8 bits with a <c>DequantizeLinear</c>: 4 bits has no form for them in this model's opset.</summary>
    public int EightBitWeights { get; init; }

    /// <summary>Float weights left as they were (small, excluded, biases, normalisation parameters, not float32...).</summary>
    public int FloatWeights { get; init; }

    /// <summary>The weights' size in bytes before (float32) and after (packed data, scales and zero points), over the quantized weights only.</summary>
    public long BytesBefore { get; init; }

    /// <summary>See <see cref="BytesBefore"/>.</summary>
    public long BytesAfter { get; init; }

    /// <summary>Why weights stayed in float or went to 8 bits, one line per reason with a count.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>One line for the build log, e.g. <c>Int4 block 32: 4 weights MatMulNBits (3 MatMul, 1 Gemm), 1 GatherBlockQuantized, 0 blocked int4, 2 8-bit, 5 float</c>.</summary>
    public string Summary(FourBitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{options.TypeName} weight-only block {options.BlockSize} ({(options.EffectiveSymmetric ? "symmetric" : "asymmetric")}, {(options.SearchScales ? "clip search" : "round-to-nearest")}, accuracy_level {options.AccuracyLevel}): " +
            $"{MatMulNBitsWeights} weights MatMulNBits ({MatMulNodes} MatMul, {GemmNodes} Gemm), {GatherBlockQuantizedWeights} GatherBlockQuantized, {BlockedFourBitWeights} blocked 4-bit DequantizeLinear, {EightBitWeights} 8-bit, {FloatWeights} left in float");
    }
}
