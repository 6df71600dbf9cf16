namespace Compression.Kernels;

/// <summary>
/// 4-bit block quantization: ONNX Runtime's <c>MatMulNBits</c> weight layout, and ONNX opset-21
/// <c>int4</c>/<c>uint4</c> tensors (two values a byte, low nibble first).
/// </summary>
/// <remarks>
/// <para><b>MatMulNBits</b> (<c>com.microsoft</c>, bits 4): the weight is given as <c>B[K, N]</c> row-major (a MatMul
/// initializer). Each column <c>n</c> is cut along K into <c>blocks = ceil(K / blockSize)</c> blocks. Outputs:
/// <c>packed[N, blocks, blockSize / 2]</c> (element <c>k</c> of a block in byte <c>k / 2</c>, low nibble for even <c>k</c>;
/// padding past K is 0), <c>scales[N, blocks]</c>, and for the asymmetric form <c>zeroPoints[N, ceil(blocks / 2)]</c>
/// (uint4, packed the same way). The symmetric form writes no zero points; the operator's default zero point 8 applies.
/// Parameters and rounding follow MLAS (<c>MlasQuantizeBlockwise</c>): asymmetric <c>scale = (max - min) / 15</c> with the
/// range widened to include 0 and <c>zp = round(-min / scale)</c>; symmetric <c>scale = m / -8</c> where <c>m</c> is the
/// signed value of largest magnitude; <c>q = clamp(round(x * (1 / scale) + zp), 0, 15)</c> with round half away from
/// zero and a multiplication by the reciprocal (not the ONNX QuantizeLinear rule).</para>
/// <para><b>Opset 21 int4/uint4</b>: <c>QuantizeLinear</c> semantics (<c>x / scale</c>, round half to even, saturate to
/// [-8, 7] or [0, 15]) with blocks along an axis as in <see cref="AffineQuantizer"/>; values are packed in flat
/// row-major order, two a byte, low nibble first, the last high nibble 0 for an odd count.</para>
/// <para>NaN policy: NaN weights are ignored by the block range and quantize to the zero point.</para>
/// </remarks>
public static class BlockQuantizer4Bit
{
    /// <summary>Bytes of <c>count</c> 4-bit values packed two a byte.</summary>
    public static int PackedLength(int count) => (int)(((long)count + 1) / 2);

    /// <summary>
    /// Quantizes <c>B[K, N]</c> to the MatMulNBits layout (see the type remarks for shapes).
    /// <paramref name="zeroPoints"/> must be empty when <paramref name="symmetric"/>, else <c>N * ceil(blocks / 2)</c> bytes.
    /// </summary>
    /// <param name="weight">B, row-major <c>[k, n]</c>.</param>
    /// <param name="k">Rows of B (the reduction axis).</param>
    /// <param name="n">Columns of B (output features).</param>
    /// <param name="blockSize">Block length along K: a power of two, at least 16.</param>
    /// <param name="symmetric">Signed blocks with the default zero point 8 (no zero points written).</param>
    /// <param name="packed">Receives <c>N * blocks * blockSize / 2</c> bytes.</param>
    /// <param name="scales">Receives <c>N * blocks</c> scales.</param>
    /// <param name="zeroPoints">Receives the packed uint4 zero points (asymmetric only).</param>
    /// <param name="rule">How each block's scale is chosen.</param>
    public static void QuantizeMatMulNBits(ReadOnlySpan<float> weight, int k, int n, int blockSize, bool symmetric, Span<byte> packed, Span<float> scales, Span<byte> zeroPoints, BlockScaleRule rule = BlockScaleRule.MinMax) =>
        MatMulNBitsKernels.Quantize(weight, k, n, blockSize, symmetric, packed, scales, zeroPoints, rule, KernelIsaSelector.Best);

    /// <summary>
    /// <see cref="QuantizeMatMulNBits"/> with groups of K-bands spread over all cores; the output is identical to
    /// the serial one (every band is computed the same way, only on another core).
    /// </summary>
    public static void QuantizeMatMulNBitsParallel(ReadOnlySpan<float> weight, int k, int n, int blockSize, bool symmetric, Span<byte> packed, Span<float> scales, Span<byte> zeroPoints, BlockScaleRule rule = BlockScaleRule.MinMax) =>
        MatMulNBitsKernels.Quantize(weight, k, n, blockSize, symmetric, packed, scales, zeroPoints, rule, KernelIsaSelector.Best, parallel: true);

    /// <summary>
    /// Dequantizes the MatMulNBits layout back to <c>B[K, N]</c> row-major: <c>(q - zp) * scale</c>, with zp 8 when
    /// <paramref name="zeroPoints"/> is empty.
    /// </summary>
    public static void DequantizeMatMulNBits(ReadOnlySpan<byte> packed, ReadOnlySpan<float> scales, ReadOnlySpan<byte> zeroPoints, int k, int n, int blockSize, Span<float> weight) =>
        MatMulNBitsKernels.Dequantize(packed, scales, zeroPoints, k, n, blockSize, weight, KernelIsaSelector.Best);

    /// <summary>
    /// ONNX opset-21 <c>QuantizeLinear</c> to packed int4 with blocks along the middle axis of
    /// <c>[outer, axisLength, inner]</c>; <paramref name="scales"/> and <paramref name="zeroPoints"/> are
    /// <c>[outer, blocks, inner]</c> (<paramref name="zeroPoints"/> may be empty for 0). Use block size
    /// <c>axisLength</c> for per-axis and a tensor with <c>outer = inner = 1</c> for per-tensor quantization.
    /// </summary>
    public static void QuantizeInt4(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<byte> packed) =>
        Int4Kernels.Quantize(values, outer, axisLength, inner, blockSize, scales, zeroPoints, packed, signed: true, KernelIsaSelector.Best);

    /// <summary>As <see cref="QuantizeInt4"/>, to packed uint4 (saturating to [0, 15]).</summary>
    public static void QuantizeUInt4(ReadOnlySpan<float> values, int outer, int axisLength, int inner, int blockSize, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<byte> packed) =>
        Int4Kernels.Quantize(values, outer, axisLength, inner, blockSize, scales, zeroPoints, packed, signed: false, KernelIsaSelector.Best);

    /// <summary>ONNX <c>DequantizeLinear</c> of packed int4 (layout as <see cref="QuantizeInt4"/>).</summary>
    public static void DequantizeInt4(ReadOnlySpan<byte> packed, int outer, int axisLength, int inner, int blockSize, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination) =>
        Int4Kernels.Dequantize(packed, outer, axisLength, inner, blockSize, scales, zeroPoints, destination, signed: true, KernelIsaSelector.Best);

    /// <summary>ONNX <c>DequantizeLinear</c> of packed uint4 (layout as <see cref="QuantizeUInt4"/>).</summary>
    public static void DequantizeUInt4(ReadOnlySpan<byte> packed, int outer, int axisLength, int inner, int blockSize, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination) =>
        Int4Kernels.Dequantize(packed, outer, axisLength, inner, blockSize, scales, zeroPoints, destination, signed: false, KernelIsaSelector.Best);

    /// <summary>Packs int4 values (each in [-8, 7]) two a byte, low nibble first.</summary>
    public static void PackInt4(ReadOnlySpan<sbyte> values, Span<byte> packed) => Int4Kernels.Pack(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values), packed, nameof(values), signed: true);

    /// <summary>Packs uint4 values (each in [0, 15]) two a byte, low nibble first.</summary>
    public static void PackUInt4(ReadOnlySpan<byte> values, Span<byte> packed) => Int4Kernels.Pack(values, packed, nameof(values), signed: false);

    /// <summary>Unpacks <c>values.Length</c> int4 values (sign-extended).</summary>
    public static void UnpackInt4(ReadOnlySpan<byte> packed, Span<sbyte> values) => Int4Kernels.Unpack(packed, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values), signed: true);

    /// <summary>Unpacks <c>values.Length</c> uint4 values.</summary>
    public static void UnpackUInt4(ReadOnlySpan<byte> packed, Span<byte> values) => Int4Kernels.Unpack(packed, values, signed: false);
}
