namespace Compression.Onnx;

/// <summary>
/// The range of signed 8-bit weights that feed integer MatMul ops (<c>DynamicQuantizeMatMul</c>, <c>MatMulInteger</c>,
/// from MatMul and Gemm): the <c>WeightRange</c> item metadata. Unsigned weights, <c>ConvInteger</c> weights (stored
/// as uint8 shifted by 128) and weight-only forms always use the full 8-bit range: their kernels cannot overflow
/// (docs/cpu-portability.md).
/// </summary>
public enum WeightRange
{
    /// <summary>
    /// 7-bit signed weights, [-64, 64] (ONNX Runtime's <c>reduce_range</c>): a pair of uint8 x int8 products is at most
    /// 2 * 255 * 64 = 32,640, so x86 kernels that add pairs into int16 (<c>vpmaddubsw</c>, AVX2 and AVX-512 without
    /// VNNI) never saturate, and the result is the same exact integer on every CPU.
    /// </summary>
    Portable,

    /// <summary>
    /// The full signed range [-127, 127]: one more bit of weight precision, exact only where ONNX Runtime's int8 kernels
    /// accumulate in 32 bits (AVX-512 VNNI, AVX-VNNI, AMX, arm64). On AVX2-only and AVX-512-without-VNNI x86 the pair sums
    /// saturate and large activations give wrong outputs.
    /// </summary>
    Full,
}
