using Compression.Kernels;

namespace Compression.Kernels.Tests;

[TestClass]
public sealed class FiniteValuesTests
{
    [TestMethod]
    public void FindsEveryNonFiniteValueAtEveryPositionAndLengthOnEveryWidth()
    {
        foreach (KernelIsa isa in KernelIsaSelector.Supported)
        {
            foreach (int length in new[] { 0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 64, 100 })
            {
                var values = Enumerable.Range(0, length).Select(i => (i * 0.37f) - 5f).ToArray();
                Assert.IsTrue(FiniteValues.All(values, isa), $"{isa} length {length}");
                for (int position = 0; position < length; position++)
                {
                    foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                    {
                        float saved = values[position];
                        values[position] = bad;
                        Assert.IsFalse(FiniteValues.All(values, isa), $"{isa}: {bad} at {position} of {length}");
                        values[position] = saved;
                    }
                }
            }

            Assert.IsTrue(FiniteValues.All([float.MaxValue, -float.MaxValue, float.Epsilon, -0f, 0f, 1e-45f, 3f, 4f, 5f], isa), isa.ToString());
        }

        Assert.IsFalse(FiniteValues.All([1f, float.NaN]));
    }
}
