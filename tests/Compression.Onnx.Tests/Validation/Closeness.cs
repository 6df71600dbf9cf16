using System.Globalization;

namespace Compression.Onnx.Tests.Validation;

/// <summary>
/// How close a compressed model's output is to the original's, in measures that see scale as well as direction:
/// cosine alone stays 1 when every output is doubled, the relative error does not.
/// </summary>
/// <param name="Cosine">Cosine similarity of the two outputs as vectors.</param>
/// <param name="RelativeError">‖expected − actual‖₂ / ‖expected‖₂ (0 when both are zero).</param>
/// <param name="MaxAbsolute">Largest |expected − actual|.</param>
/// <param name="MaxRelative">Largest |expected − actual| divided by the largest |expected|.</param>
internal readonly record struct Closeness(double Cosine, double RelativeError, double MaxAbsolute, double MaxRelative)
{
    public static Closeness Measure(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Microsoft.VisualStudio.TestTools.UnitTesting.Assert.AreEqual(expected.Length, actual.Length, "output lengths");
        double dot = 0, ee = 0, aa = 0, dd = 0, maxD = 0, maxE = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i], d = e - a;
            dot += e * a;
            ee += e * e;
            aa += a * a;
            dd += d * d;
            maxD = Math.Max(maxD, Math.Abs(d));
            maxE = Math.Max(maxE, Math.Abs(e));
            if (!double.IsFinite(a))
            {
                return new Closeness(double.NaN, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity);
            }
        }

        double cosine = ee == 0 && aa == 0 ? 1 : dot / Math.Sqrt(ee * aa);
        double relative = ee == 0 ? (dd == 0 ? 0 : double.PositiveInfinity) : Math.Sqrt(dd / ee);
        return new Closeness(cosine, relative, maxD, maxE == 0 ? (maxD == 0 ? 0 : double.PositiveInfinity) : maxD / maxE);
    }

    /// <summary>Asserts both the direction (cosine) and the size (relative error) of the output; prints the measures.</summary>
    public static Closeness Assert(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double maxRelativeError, double minCosine, string what)
    {
        Closeness c = Measure(expected, actual);
        Console.WriteLine($"{what}: {c}");
        Microsoft.VisualStudio.TestTools.UnitTesting.Assert.IsLessThanOrEqualTo(maxRelativeError, c.RelativeError, $"{what}: relative error ({c})");
        Microsoft.VisualStudio.TestTools.UnitTesting.Assert.IsGreaterThanOrEqualTo(minCosine, c.Cosine, $"{what}: cosine ({c})");
        return c;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"cosine {Cosine:F6}, relative error {RelativeError:G3}, max |d| {MaxAbsolute:G3} ({MaxRelative:G3} of max |expected|)");
}
