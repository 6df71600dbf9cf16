using Compression.Kernels;

namespace Compression.Kernels.Tests.FourBit;

[TestClass]
public sealed class MlasBlockLevelsTests
{
    [TestMethod]
    public void LevelsOnEveryWidthAreTheScalarRuleExactly()
    {
        var random = new Random(11);
        foreach (int length in Enumerable.Range(0, 70).Concat([255, 256, 257]))
        {
            var values = new float[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = (float)((random.NextDouble() * 4) - 2);
            }

            float[] edges = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, 1e-40f, 0.0625f, 0.1875f, float.MaxValue];
            for (int i = 0; i < Math.Min(length, edges.Length); i++)
            {
                values[(i * 7) % length] = edges[i];
            }

            foreach (int zeroPoint in new[] { 0, 8, 15 })
            {
                const float Reciprocal = 8f;
                var expected = values.Select(v => (float)MlasBlockRule.QuantizeLevel(v, Reciprocal, zeroPoint)).ToArray();
                foreach (KernelIsa isa in KernelIsaSelector.Supported)
                {
                    var levels = new float[length];
                    MlasBlockLevels.Levels(values, Reciprocal, zeroPoint, levels, isa);
                    CollectionAssert.AreEqual(expected, levels, $"{isa} length {length} zero point {zeroPoint}");
                }
            }
        }
    }

    [TestMethod]
    public void ReductionsAreTheSameOnEveryVectorWidthAndCloseToTheScalarReference()
    {
        var random = new Random(3);
        foreach (int length in new[] { 0, 8, 16, 32, 64, 128, 256 })
        {
            var block = new float[length];
            for (int i = 0; i < length; i++)
            {
                block[i] = (float)((random.NextDouble() * 2) - 1);
            }

            (float scale, int zeroPoint) = MlasBlockRule.ScaleAndZeroPoint(block.DefaultIfEmpty(0f).Min(), block.DefaultIfEmpty(0f).Max(), symmetric: false);
            float error = MlasBlockLevels.SquaredError(block, scale, zeroPoint, KernelIsa.Scalar);
            float refit = MlasBlockLevels.RefitScale(block, scale, zeroPoint, KernelIsa.Scalar);
            float? vectorError = null, vectorRefit = null;
            foreach (KernelIsa isa in KernelIsaSelector.Supported.Where(i => i >= KernelIsa.Vector256))
            {
                float e = MlasBlockLevels.SquaredError(block, scale, zeroPoint, isa);
                float r = MlasBlockLevels.RefitScale(block, scale, zeroPoint, isa);

                // Eight lanes on every width: the candidate a block search picks cannot depend on the machine.
                Assert.AreEqual(vectorError ?? e, e, $"{isa} length {length}");
                Assert.AreEqual(vectorRefit ?? r, r, $"{isa} length {length}");
                vectorError = e;
                vectorRefit = r;

                // Float sums of at most 256 non-negative terms in another order: within 256 ulps relative.
                Assert.AreEqual(error, e, 256 * float.Epsilon + (error * 256 * 1.2e-7f), $"{isa} length {length}");
                Assert.AreEqual(refit, r, Math.Abs(refit) * 1e-5f, $"{isa} length {length}");
            }

            if (length > 0)
            {
                Assert.IsTrue(error > 0f, $"length {length}");
            }
        }
    }
}
