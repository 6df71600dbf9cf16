using System.Globalization;
using Compression.Kernels;

namespace Compression.Kernels.Tests;

[TestClass]
public sealed class QuantizationParametersTests
{
    [TestMethod]
    public void Matches_numpy_evaluation_of_the_ORT_rule_on_2592_cases()
    {
        // Fixtures/make_scale_zp_cases.py evaluates compute_scale_zp with numpy's float32/float64 arithmetic.
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "ScaleZeroPointCases.txt");
        int checkedCases = 0;
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            string[] f = line.Split(' ');
            float min = BitConverter.UInt32BitsToSingle(uint.Parse(f[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            float max = BitConverter.UInt32BitsToSingle(uint.Parse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            var type = Enum.Parse<QuantizedType>(f[2]);
            bool symmetric = f[3] == "1";
            bool reduce = f[4] == "1";
            uint scaleBits = uint.Parse(f[5], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            int zeroPoint = int.Parse(f[6], CultureInfo.InvariantCulture);

            var p = QuantizationParameters.Compute(min, max, type, symmetric, reduce);
            Assert.AreEqual(scaleBits, BitConverter.SingleToUInt32Bits(p.Scale), $"scale of {line}: got {p.Scale}");
            Assert.AreEqual(zeroPoint, p.ZeroPoint, $"zero point of {line}");
            checkedCases++;
        }

        Assert.AreEqual(2592, checkedCases);
    }

    [TestMethod]
    public void Reproduces_ORT_unit_test_expectations()
    {
        // onnxruntime/test/python/quantization/test_quant_util.py, test_compute_scale_zp.
        Assert.AreEqual(new QuantizationParameters(1f, 0), QuantizationParameters.ComputeUnchecked(0f, 0f, -127, 127, symmetric: true));
        Assert.AreEqual(new QuantizationParameters(1f, 0), QuantizationParameters.ComputeUnchecked(1f, -1f, -127, 127, symmetric: true));
        Assert.AreEqual(new QuantizationParameters(1f, 0), QuantizationParameters.ComputeUnchecked(1f, -1f, 0, 255, symmetric: true));
        Assert.AreEqual(new QuantizationParameters((float)(2.0 / 127), 0), QuantizationParameters.ComputeUnchecked(-1f, 2f, -127, 127, symmetric: true));
        Assert.AreEqual(new QuantizationParameters((float)(3.0 / 254), -42), QuantizationParameters.ComputeUnchecked(-1f, 2f, -127, 127, symmetric: false));
        Assert.AreEqual(new QuantizationParameters((float)(4.0 / 255), 128), QuantizationParameters.ComputeUnchecked(-1f, 2f, 0, 255, symmetric: true));
        Assert.AreEqual(new QuantizationParameters((float)(3.0 / 255), 85), QuantizationParameters.ComputeUnchecked(-1f, 2f, 0, 255, symmetric: false));
        float tiny = 1.17549435e-38f * 0.1f;
        Assert.AreEqual(new QuantizationParameters(1f, 0), QuantizationParameters.ComputeUnchecked(-tiny, tiny, 0, 255, symmetric: true));
        Assert.AreEqual(new QuantizationParameters(1f, 0), QuantizationParameters.ComputeUnchecked(-tiny, 0f, 0, 255, symmetric: false));
    }

    [TestMethod]
    public void Zero_point_rounds_half_to_even()
    {
        // [-1, 1] on int8: zp = round(-128 + 127.5) = round(-0.5) = 0; on uint8: round(127.5) = 128.
        Assert.AreEqual(0, QuantizationParameters.Compute(-1f, 1f, QuantizedType.Int8, symmetric: false).ZeroPoint);
        Assert.AreEqual(128, QuantizationParameters.Compute(-1f, 1f, QuantizedType.UInt8, symmetric: false).ZeroPoint);
        // Symmetric uint4: round(7.5) = 8; symmetric uint8 (range [0, 254]): 127.
        Assert.AreEqual(8, QuantizationParameters.Compute(-1f, 1f, QuantizedType.UInt4, symmetric: true).ZeroPoint);
        Assert.AreEqual(127, QuantizationParameters.Compute(-1f, 1f, QuantizedType.UInt8, symmetric: true).ZeroPoint);
    }

    [TestMethod]
    public void Ranges_follow_ORT_tables()
    {
        Assert.AreEqual((-128, 127), QuantizationParameters.QuantizedRange(QuantizedType.Int8));
        Assert.AreEqual((-127, 127), QuantizationParameters.QuantizedRange(QuantizedType.Int8, symmetric: true));
        Assert.AreEqual((-64, 64), QuantizationParameters.QuantizedRange(QuantizedType.Int8, symmetric: true, reduceRange: true));
        Assert.AreEqual((0, 254), QuantizationParameters.QuantizedRange(QuantizedType.UInt8, symmetric: true));
        Assert.AreEqual((0, 127), QuantizationParameters.QuantizedRange(QuantizedType.UInt8, reduceRange: true));
        Assert.AreEqual((-8, 7), QuantizationParameters.QuantizedRange(QuantizedType.Int4, symmetric: true));
        Assert.AreEqual((0, 7), QuantizationParameters.QuantizedRange(QuantizedType.UInt4, reduceRange: true));
    }

    [TestMethod]
    public void Constant_and_empty_tensors()
    {
        // A positive constant: the range widens to [0, c], so c maps to the top level exactly.
        var p = QuantizationParameters.Compute(Enumerable.Repeat(0.5f, 10).ToArray(), QuantizedType.UInt8, symmetric: false);
        Assert.AreEqual(new QuantizationParameters(0.5f / 255, 0), p);
        Assert.AreEqual(new QuantizationParameters(1f, 0), QuantizationParameters.Compute(new float[7], QuantizedType.Int8, symmetric: true));
        Assert.AreEqual(new QuantizationParameters(1f, 0), QuantizationParameters.Compute([], QuantizedType.Int8, symmetric: false));
    }

    [TestMethod]
    public void Non_finite_ranges_are_rejected()
    {
        Assert.ThrowsExactly<ArgumentException>(() => QuantizationParameters.Compute(float.NaN, 1f, QuantizedType.Int8, false));
        Assert.ThrowsExactly<ArgumentException>(() => QuantizationParameters.Compute(0f, float.PositiveInfinity, QuantizedType.Int8, false));
        Assert.ThrowsExactly<ArgumentException>(() => QuantizationParameters.Compute([1f, float.NaN], QuantizedType.UInt8, false));
    }

    [TestMethod]
    public void Per_block_parameters_use_each_block_range()
    {
        float[] values = TestData.Gaussian(3 * 70, 5);
        int blocks = RangeKernels.BlockCount(70, 32);
        var scales = new float[3 * blocks];
        var zeroPoints = new int[3 * blocks];
        QuantizationParameters.ComputePerBlock(values, 3, 70, 1, 32, QuantizedType.Int4, symmetric: false, reduceRange: false, scales, zeroPoints);
        for (int o = 0; o < 3; o++)
        {
            for (int b = 0; b < blocks; b++)
            {
                var block = values.AsSpan((o * 70) + (b * 32), Math.Min(32, 70 - (b * 32)));
                var expected = QuantizationParameters.Compute(block, QuantizedType.Int4, symmetric: false);
                Assert.AreEqual(expected, new QuantizationParameters(scales[(o * blocks) + b], zeroPoints[(o * blocks) + b]));
            }
        }
    }
}
