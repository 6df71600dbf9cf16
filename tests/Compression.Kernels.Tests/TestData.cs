using Compression.Kernels;

namespace Compression.Kernels.Tests;

/// <summary>Deterministic inputs shared by the kernel tests.</summary>
internal static class TestData
{

    /// <summary>The vector paths only (compared against the scalar path).</summary>
    public static IEnumerable<KernelIsa> VectorIsas => KernelIsaSelector.Supported.Where(i => i != KernelIsa.Scalar);

    /// <summary>Lengths 0..256 plus a few large ones that are not multiples of any vector width.</summary>
    public static IEnumerable<int> Lengths => Enumerable.Range(0, 257).Concat([1000, 4099, 65_537]);

    /// <summary>Normal(0, sigma) values from a fixed seed (Box-Muller).</summary>
    public static float[] Gaussian(int length, int seed, float sigma = 1f)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = (float)(sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }

        return values;
    }

    /// <summary>Gaussian weights with a few large outliers, the shape real layer weights have.</summary>
    public static float[] GaussianWithOutliers(int length, int seed)
    {
        float[] values = Gaussian(length, seed, 0.02f);
        var random = new Random(seed + 1);
        for (int i = 0; i < length / 200; i++)
        {
            values[random.Next(length)] = (float)((random.NextDouble() < 0.5 ? -1 : 1) * (0.1 + (0.2 * random.NextDouble())));
        }

        return values;
    }

    /// <summary>Special float values every kernel must handle.</summary>
    public static readonly float[] EdgeValues =
    [
        0f, -0f, 1f, -1f, float.Epsilon, -float.Epsilon, 1e-40f, -1e-40f, 1.17549435e-38f,
        float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity,
        0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 65504f, 65519.99f, 65520f, -65520f, 6.1035156e-05f, 5.9604645e-08f,
        2.9802322e-08f, 3e38f, 3.3895314e38f, 3.3961776e38f,
    ];

    /// <summary>Random values with edge values sprinkled in (optionally NaN).</summary>
    public static float[] Mixed(int length, int seed, bool withNaN)
    {
        float[] values = Gaussian(length, seed, 10f);
        var random = new Random(seed + 7);
        for (int i = 0; i < length; i++)
        {
            int pick = random.Next(8);
            if (pick == 0)
            {
                values[i] = EdgeValues[random.Next(EdgeValues.Length)];
            }
            else if (pick == 1 && withNaN && random.Next(16) == 0)
            {
                values[i] = float.NaN;
            }
        }

        return values;
    }

    public static string Describe(KernelIsa isa, int length) => $"{isa}, length {length}";
}
