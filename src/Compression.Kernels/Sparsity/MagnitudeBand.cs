namespace Compression.Kernels;

/// <summary>
/// One read pass of a sampled global magnitude selection: counts the elements whose magnitude key
/// (<c>|w|</c> bits, NaN above infinity, the order of <see cref="MagnitudeSelector"/>) is below a band and
/// collects the elements inside it, in index order.
/// </summary>
public static partial class MagnitudeBand
{
    /// <summary>
    /// Counts keys of <paramref name="values"/> below <paramref name="low"/> and appends the values whose key is in
    /// [<paramref name="low"/>, <paramref name="high"/>] to <paramref name="inside"/>, in index order.
    /// </summary>
    /// <returns>How many keys are below <paramref name="low"/>.</returns>
    public static long Scan(ReadOnlySpan<float> values, uint low, uint high, List<float> inside) =>
        Scan(values, low, high, inside, KernelIsaSelector.Best);

    /// <summary>The key of a value: its magnitude bits.</summary>
    public static uint Key(float value) => BitConverter.SingleToUInt32Bits(value) & 0x7FFFFFFFu;

    internal static long Scan(ReadOnlySpan<float> values, uint low, uint high, List<float> inside, KernelIsa isa)
    {
        long below = 0;
        int done = isa switch
        {
            KernelIsa.Vector512 => Scan512(values, low, high, inside, ref below),
            KernelIsa.Vector256 => Scan256(values, low, high, inside, ref below),
            KernelIsa.Vector128 => Scan128(values, low, high, inside, ref below),
            _ => 0,
        };
        for (int i = done; i < values.Length; i++)
        {
            uint key = Key(values[i]);
            if (key < low)
            {
                below++;
            }
            else if (key <= high)
            {
                inside.Add(values[i]);
            }
        }

        return below;
    }
}
