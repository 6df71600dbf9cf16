using Compression.Kernels;
using Compression.Onnx.FourBit;

namespace Compression.Onnx.Tests.FourBit;

/// <summary>Bit-exact MatMulNBits layouts on hand-computed cases, and agreement with the kernel's MLAS quantizer.</summary>
[TestClass]
public sealed class MatMulNBitsLayoutTests
{
    [TestMethod]
    public void SymmetricBlockOf16HasScaleOneAndNibblesLowFirst()
    {
        // Column -8..7: the value of largest magnitude is -8, so scale = -8 / -8 = 1 and q = x + 8 = 0..15.
        float[] b = Enumerable.Range(0, 16).Select(i => (float)(i - 8)).ToArray();
        var q = MatMulNBitsWeight.Quantize(b, 16, 1, columnMajor: false, 16, symmetric: true, search: false);

        CollectionAssert.AreEqual(new byte[] { 0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE }, q.Packed);
        CollectionAssert.AreEqual(new[] { 1f }, q.Scales);
        Assert.IsNull(q.ZeroPoints);
    }

    [TestMethod]
    public void OddKPadsTheLastBlockWithTheZeroPoint()
    {
        // K = 17, block 16: block 0 as above; block 1 holds the single value 4, so m = 4, scale = 4 / -8 = -0.5,
        // q = round(4 * -2 + 8) = 0, and the 15 padding nibbles are the zero point 8 (they dequantize to 0).
        float[] b = [.. Enumerable.Range(0, 16).Select(i => (float)(i - 8)), 4f];
        var q = MatMulNBitsWeight.Quantize(b, 17, 1, columnMajor: false, 16, symmetric: true, search: false);

        Assert.AreEqual(2, q.Blocks);
        CollectionAssert.AreEqual(new byte[] { 0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE, 0x80, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88 }, q.Packed);
        CollectionAssert.AreEqual(new[] { 1f, -0.5f }, q.Scales);
        CollectionAssert.AreEqual(b, q.Dequantize());
    }

    [TestMethod]
    public void KSmallerThanTheBlockIsOnePaddedBlock()
    {
        // K = 5 < block 32: values 0, 1, 2, 3, -4 -> m = -4, scale 0.5, q = 2x + 8 = 8, 10, 12, 14, 0.
        float[] b = [0f, 1f, 2f, 3f, -4f];
        var q = MatMulNBitsWeight.Quantize(b, 5, 1, columnMajor: false, 32, symmetric: true, search: false);

        byte[] expected = [0xA8, 0xEC, 0x80, .. Enumerable.Repeat((byte)0x88, 13)];
        CollectionAssert.AreEqual(expected, q.Packed);
        CollectionAssert.AreEqual(new[] { 0.5f }, q.Scales);
        CollectionAssert.AreEqual(b, q.Dequantize());
    }

    [TestMethod]
    public void AsymmetricZeroPointsArePackedTwoBlocksAByte()
    {
        // N = 2 columns of B [K = 48, N = 2] (row-major), block 16 -> 3 blocks per column.
        // Column 0, block j: values -5..10 (+ 0) -> scale 1, zp 5; block 1: 0..15 -> zp 0; block 2: -15..0 -> zp 15.
        // Column 1: every block 0..15 doubled -> scale 2, zp 0.
        int k = 48;
        var b = new float[k * 2];
        for (int r = 0; r < k; r++)
        {
            int i = r % 16;
            b[r * 2] = (r / 16) switch { 0 => i - 5, 1 => i, _ => i - 15 };
            b[(r * 2) + 1] = 2 * i;
        }

        var q = MatMulNBitsWeight.Quantize(b, k, 2, columnMajor: false, 16, symmetric: false, search: false);

        CollectionAssert.AreEqual(new[] { 1f, 1f, 1f, 2f, 2f, 2f }, q.Scales);
        CollectionAssert.AreEqual(new byte[] { 0x05, 0x0F, 0x00, 0x00 }, q.ZeroPoints);
        Assert.AreEqual(0x10, q.Packed[0], "column 0 block 0 starts at q = 0, 1");
        Assert.AreEqual(0x10, q.Packed[3 * 8], "column 1 block 0 starts at q = 0, 1");
        CollectionAssert.AreEqual(b, q.Dequantize());
    }

    [TestMethod]
    public void ColumnMajorInputGivesTheSameLayoutAsTheTransposedMatMulWeight()
    {
        int k = 70, n = 5;
        float[] b = FourBitModels.Gaussian(k * n, 3);
        var transposed = new float[k * n];
        for (int r = 0; r < k; r++)
        {
            for (int c = 0; c < n; c++)
            {
                transposed[(c * k) + r] = b[(r * n) + c];
            }
        }

        var rowMajor = MatMulNBitsWeight.Quantize(b, k, n, columnMajor: false, 32, symmetric: false, search: true);
        var columnMajor = MatMulNBitsWeight.Quantize(transposed, k, n, columnMajor: true, 32, symmetric: false, search: true);

        CollectionAssert.AreEqual(rowMajor.Packed, columnMajor.Packed);
        CollectionAssert.AreEqual(rowMajor.Scales, columnMajor.Scales);
        CollectionAssert.AreEqual(rowMajor.ZeroPoints, columnMajor.ZeroPoints);
    }

    [TestMethod]
    [DataRow(16, 64, 3, true)]
    [DataRow(32, 96, 1, false)]
    [DataRow(64, 100, 7, true)]
    [DataRow(128, 300, 2, false)]
    [DataRow(256, 513, 4, true)]
    [DataRow(32, 31, 40, false)]
    public void RoundToNearestMatchesTheKernelsMlasQuantizerBitForBit(int blockSize, int k, int n, bool symmetric)
    {
        float[] b = FourBitModels.Gaussian(k * n, blockSize + k);
        int blocks = (k + blockSize - 1) / blockSize;
        var packed = new byte[n * blocks * blockSize / 2];
        var scales = new float[n * blocks];
        var zeroPoints = symmetric ? [] : new byte[n * ((blocks + 1) / 2)];
        BlockQuantizer4Bit.QuantizeMatMulNBits(b, k, n, blockSize, symmetric, packed, scales, zeroPoints);

        var q = MatMulNBitsWeight.Quantize(b, k, n, columnMajor: false, blockSize, symmetric, search: false);

        CollectionAssert.AreEqual(scales, q.Scales);
        CollectionAssert.AreEqual(symmetric ? null : zeroPoints, q.ZeroPoints);
        for (int col = 0; col < n; col++)
        {
            for (int row = 0; row < k; row++)
            {
                int block = row / blockSize;
                int index = (((col * blocks) + block) * blockSize) + (row % blockSize);
                Assert.AreEqual(Nibble(packed, index), Nibble(q.Packed, index), $"column {col}, row {row}");
            }
        }
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void ClipSearchAgreesWithTheKernelAndNeverLosesToRoundToNearest(bool symmetric)
    {
        int k = 256, n = 48, blockSize = 32;
        float[] b = FourBitModels.WeightWithOutliers(k, n, 9, 0.05f);
        int blocks = k / blockSize;
        var packed = new byte[n * blocks * blockSize / 2];
        var scales = new float[n * blocks];
        var zeroPoints = symmetric ? [] : new byte[n * blocks / 2];
        BlockQuantizer4Bit.QuantizeMatMulNBits(b, k, n, blockSize, symmetric, packed, scales, zeroPoints, BlockScaleRule.ClipSearch);
        var kernel = new float[k * n];
        BlockQuantizer4Bit.DequantizeMatMulNBits(packed, scales, zeroPoints, k, n, blockSize, kernel);

        var rtn = MatMulNBitsWeight.Quantize(b, k, n, columnMajor: false, blockSize, symmetric, search: false).Dequantize();
        var searched = MatMulNBitsWeight.Quantize(b, k, n, columnMajor: false, blockSize, symmetric, search: true);
        float[] dequantized = searched.Dequantize();

        // Same candidates as the kernel's ClipSearch; the errors are summed in float here (double there), so a
        // near-tie may go the other way and refitted scales differ in the last bits: compare the errors.
        var kernelError = ErrorMetrics.Compare(b, kernel);
        var ownError = ErrorMetrics.Compare(b, dequantized);
        Assert.AreEqual(kernelError.MeanSquaredError, ownError.MeanSquaredError, kernelError.MeanSquaredError * 0.005, "weight MSE as the kernel's search");
        for (int col = 0; col < n; col++)
        {
            for (int block = 0; block < blocks; block++)
            {
                Assert.IsLessThanOrEqualTo(BlockError(b, rtn, k, n, col, block, blockSize) * (1 + 1e-5), BlockError(b, dequantized, k, n, col, block, blockSize), $"column {col} block {block}");
            }
        }

        var rtnError = ErrorMetrics.Compare(b, rtn);
        var searchError = ErrorMetrics.Compare(b, dequantized);
        Assert.IsLessThan(rtnError.MeanSquaredError * 0.95, searchError.MeanSquaredError, "the search removes at least 5% of the weight error on outlier-heavy weights");
    }

    [TestMethod]
    public void VectorisedRoundingEqualsMlasRoundingOnTiesAndEdges()
    {
        float[] edges = [0.49999997f, 0.5f, 0.50000006f, 1.5f, 2.5f, 7.5f, 14.5f, 14.499999f, 15.5f, 1e9f, -0.5f, -0.49999997f, -1.5f, -1e9f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-45f];
        var random = new Random(4);
        float[] values = [.. edges, .. Enumerable.Range(0, 1000).Select(_ => (float)((random.NextDouble() * 40) - 20))];
        foreach (var (reciprocal, zeroPoint) in new[] { (1f, 0), (1f, 8), (0.37f, 3), (3.1f, 15), (0f, 8) })
        {
            var levels = new float[values.Length];
            NibbleBlocks.Levels(values, reciprocal, zeroPoint, levels);
            for (int i = 0; i < values.Length; i++)
            {
                Assert.AreEqual(Compression.Kernels.MlasBlockRule.QuantizeLevel(values[i], reciprocal, zeroPoint), (int)levels[i], $"x = {values[i]:R}, reciprocal {reciprocal}, zp {zeroPoint}");
            }
        }
    }

    [TestMethod]
    public void AllZeroAndNaNBlocksDequantizeToZero()
    {
        var b = new float[64];
        b[40] = float.NaN;
        var q = MatMulNBitsWeight.Quantize(b, 64, 1, columnMajor: false, 32, symmetric: false, search: true);
        float[] back = q.Dequantize();
        Assert.IsTrue(back.All(v => v == 0f), string.Join(", ", back));
    }

    private static double BlockError(float[] reference, float[] actual, int k, int n, int col, int block, int blockSize)
    {
        double sum = 0;
        for (int r = block * blockSize; r < Math.Min(k, (block + 1) * blockSize); r++)
        {
            double d = reference[(r * n) + col] - actual[(r * n) + col];
            sum += d * d;
        }

        return sum;
    }

    private static int Nibble(byte[] packed, int index) => (packed[index >> 1] >> ((index & 1) * 4)) & 0xF;
}
