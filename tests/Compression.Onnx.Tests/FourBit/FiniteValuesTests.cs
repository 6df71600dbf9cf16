using Compression.Onnx.FourBit;

namespace Compression.Onnx.Tests.FourBit;

[TestClass]
public sealed class FiniteValuesTests
{
    [TestMethod]
    public void FindsEveryNonFiniteValueAtEveryPositionAndLength()
    {
        foreach (int length in new[] { 0, 1, 7, 8, 9, 31, 64, 100 })
        {
            var values = Enumerable.Range(0, length).Select(i => (i * 0.37f) - 5f).ToArray();
            Assert.IsTrue(FiniteValues.All(values), $"length {length}");
            for (int position = 0; position < length; position++)
            {
                foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                {
                    float saved = values[position];
                    values[position] = bad;
                    Assert.IsFalse(FiniteValues.All(values), $"{bad} at {position} of {length}");
                    values[position] = saved;
                }
            }
        }

        Assert.IsTrue(FiniteValues.All([float.MaxValue, -float.MaxValue, float.Epsilon, -0f, 0f, 1e-45f, 3f, 4f, 5f]));
    }
}
