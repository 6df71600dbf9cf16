namespace Compression.Kernels;

/// <summary>Whether a tensor holds only finite values (a NaN or infinity would poison a block's scale).</summary>
public static partial class FiniteValues
{
    /// <summary>True when no element of <paramref name="values"/> is NaN or +/-infinity.</summary>
    public static bool All(ReadOnlySpan<float> values) => All(values, KernelIsaSelector.Best);

    internal static bool All(ReadOnlySpan<float> values, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => All512(values),
            KernelIsa.Vector256 => All256(values),
            KernelIsa.Vector128 => All128(values),
            _ => 0,
        };
        if (done < 0)
        {
            return false;
        }

        for (int i = done; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }
}
