using Compression.Onnx.Pruning;

namespace Compression.Onnx.Tests.Pruning;

/// <summary>The one-pass sampled selection agrees exactly with the kernels' radix select, ties and NaN included.</summary>
[TestClass]
public sealed class GlobalSelectionTests
{
    [TestMethod]
    [DataRow(1, 0.0)]
    [DataRow(2, 0.3)]
    [DataRow(3, 0.5)]
    [DataRow(4, 0.999)]
    [DataRow(5, 1.0)]
    public void SampledCountsEqualTheExactCounts(int seed, double fraction)
    {
        var random = new Random(seed);
        var tensors = new List<float[]>();
        foreach (int length in new[] { 0, 1, 7, 1000, 33_333, 200_001 })
        {
            float scale = (float)(0.001 + random.NextDouble());
            tensors.Add(Enumerable.Range(0, length).Select(i => i % 97 == 0 ? (i % 2 == 0 ? 0f : -0f)
                : i % 89 == 0 ? float.NaN
                : i % 5 == 0 ? MathF.Round((float)random.NextDouble() * 8) / 8 * scale // many ties
                : (float)((random.NextDouble() * 2) - 1) * scale).ToArray());
        }

        long total = tensors.Sum(t => (long)t.Length);
        long count = (long)(fraction * total);
        long[]? sampled = SampledSelection.Counts(tensors, count);
        long[] exact = GlobalThreshold.ExactCounts(tensors, Enumerable.Range(0, tensors.Count).ToList(), count);

        Assert.IsNotNull(sampled, "the sample brackets the cut");
        CollectionAssert.AreEqual(exact, sampled);
        Assert.AreEqual(count, sampled.Sum());
    }
}
