using System.Globalization;

namespace Compression.Onnx.Pruning;

/// <summary>An N:M sparsity pattern: in every group of M consecutive input channels at most N weights are non-zero (2:4 for sparse tensor cores).</summary>
/// <param name="N">Non-zero weights kept per group.</param>
/// <param name="M">Group length.</param>
public readonly record struct NMPattern(int N, int M)
{
    /// <summary>The 2:4 pattern of NVIDIA sparse tensor cores.</summary>
    public static NMPattern TwoOfFour { get; } = new(2, 4);

    /// <summary>The fraction of weights a full group loses: <c>1 - N/M</c>.</summary>
    public double Sparsity => 1 - ((double)N / M);

    /// <summary>Parses <c>"N:M"</c> (for example <c>"2:4"</c>).</summary>
    /// <param name="text">The pattern.</param>
    /// <exception cref="CompressionException">CMP4601 when it is not <c>N:M</c> with 0 &lt; N &lt; M &lt;= 64.</exception>
    public static NMPattern Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(':');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int m)
            && n > 0 && n < m && m <= 64)
        {
            return new NMPattern(n, m);
        }

        throw PruningSettingsCheck.Invalid($"'{text}' is not an N:M sparsity pattern with 0 < N < M <= 64.", "Write it as Pruning=\"2:4\" (keep 2 of every 4 input channels).");
    }

    /// <summary>
    /// Whether <paramref name="values"/>, seen as <c>[outer, axisLength, inner]</c>, has at most N non-zeros in every
    /// group of M consecutive elements along the middle axis (a short last group: at most <c>min(N, length)</c>).
    /// </summary>
    public bool IsSatisfiedBy(ReadOnlySpan<float> values, int outer, int axisLength, int inner)
    {
        if ((long)outer * axisLength * inner != values.Length)
        {
            throw new ArgumentException("The shape does not match the number of values.", nameof(values));
        }

        for (int o = 0; o < outer; o++)
        {
            for (int start = 0; start < axisLength; start += M)
            {
                int length = Math.Min(M, axisLength - start);
                for (int i = 0; i < inner; i++)
                {
                    int nonZero = 0;
                    for (int a = 0; a < length; a++)
                    {
                        nonZero += values[(((o * axisLength) + start + a) * inner) + i] != 0 ? 1 : 0;
                    }

                    if (nonZero > N)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{N}:{M}");
}
