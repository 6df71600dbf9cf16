using System.Buffers;

namespace Compression.Kernels.Metrics;

/// <summary>Per-channel L1/L2 norms over <c>[outer, channels, inner]</c>, accumulated in double.</summary>
internal static class ChannelNorms
{
    public static void Compute(ReadOnlySpan<float> values, int outer, int channels, int inner, Span<float> norms, bool squared, KernelIsa isa)
    {
        ThrowHelper.CheckShape(values.Length, outer, channels, inner, nameof(values));
        if (norms.Length < channels)
        {
            ThrowHelper.DestinationTooShort(nameof(norms));
        }

        double[] rented = ArrayPool<double>.Shared.Rent(Math.Max(1, channels));
        try
        {
            Span<double> sums = rented.AsSpan(0, channels);
            sums.Clear();
            if (inner == 1)
            {
                // Channels are contiguous: fold whole rows elementwise.
                for (int o = 0; o < outer; o++)
                {
                    RowFolds.Accumulate(values.Slice(o * channels, channels), sums, squared, isa);
                }
            }

            for (int o = 0; o < outer && inner != 1; o++)
            {
                for (int c = 0; c < channels; c++)
                {
                    ReadOnlySpan<float> row = values.Slice(((o * channels) + c) * inner, inner);
                    sums[c] += squared ? Sums.SumOfSquares(row, isa) : Sums.SumOfMagnitudes(row, isa);
                }
            }

            for (int c = 0; c < channels; c++)
            {
                norms[c] = (float)(squared ? Math.Sqrt(sums[c]) : sums[c]);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }
}
