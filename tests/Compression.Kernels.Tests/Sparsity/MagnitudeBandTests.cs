using Compression.Kernels;

namespace Compression.Kernels.Tests.Sparsity;

[TestClass]
public sealed class MagnitudeBandTests
{
    [TestMethod]
    public void EveryWidthCountsAndCollectsAsTheScalarLoop()
    {
        var random = new Random(5);
        foreach (int length in Enumerable.Range(0, 70).Concat([255, 256, 257, 4099]))
        {
            var values = new float[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = (float)((random.NextDouble() * 2) - 1);
            }

            if (length > 5)
            {
                values[1] = float.NaN;
                values[2] = -0f;
                values[3] = float.NegativeInfinity;
                values[4] = 0.25f;
                values[5] = -0.25f;
            }

            uint low = MagnitudeBand.Key(0.25f);
            uint high = MagnitudeBand.Key(0.5f);
            var expected = new List<float>();
            long expectedBelow = 0;
            foreach (float v in values)
            {
                uint key = MagnitudeBand.Key(v);
                expectedBelow += key < low ? 1 : 0;
                if (key >= low && key <= high)
                {
                    expected.Add(v);
                }
            }

            foreach (KernelIsa isa in KernelIsaSelector.Supported)
            {
                var inside = new List<float>();
                long below = MagnitudeBand.Scan(values, low, high, inside, isa);
                Assert.AreEqual(expectedBelow, below, $"{isa} length {length}");
                CollectionAssert.AreEqual(expected, inside, $"{isa} length {length}");
            }
        }
    }

    [TestMethod]
    public void TheFullBandCollectsEverythingInIndexOrder()
    {
        float[] values = [3f, -1f, float.NaN, 0f, float.PositiveInfinity, -2f, 7f, 8f, 9f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f];
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            var inside = new List<float>();
            Assert.AreEqual(0, MagnitudeBand.Scan(values, 0, uint.MaxValue, inside, isa), isa.ToString());
            CollectionAssert.AreEqual(values, inside, isa.ToString());
        }
    }
}
