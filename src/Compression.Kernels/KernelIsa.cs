using System.Runtime.Intrinsics;

namespace Compression.Kernels;

/// <summary>
/// The vector width a kernel runs with. Public entry points pick <see cref="KernelIsaSelector.Best"/>;
/// the internal overloads take an explicit value so tests can run every path this machine supports
/// against the scalar reference.
/// </summary>
internal enum KernelIsa
{
    Scalar = 0,
    Vector128 = 1,
    Vector256 = 2,
    Vector512 = 3,
}

internal static class KernelIsaSelector
{
    /// <summary>The widest hardware-accelerated vector width of this process.</summary>
    public static readonly KernelIsa Best =
        Vector512.IsHardwareAccelerated ? KernelIsa.Vector512 :
        Vector256.IsHardwareAccelerated ? KernelIsa.Vector256 :
        Vector128.IsHardwareAccelerated ? KernelIsa.Vector128 :
        KernelIsa.Scalar;

    /// <summary>Every width this process can run, scalar first (used by tests and benchmarks).</summary>
    public static IReadOnlyList<KernelIsa> Supported { get; } = BuildSupported();

    public static bool IsSupported(KernelIsa isa) => isa switch
    {
        KernelIsa.Scalar => true,
        KernelIsa.Vector128 => Vector128.IsHardwareAccelerated,
        KernelIsa.Vector256 => Vector256.IsHardwareAccelerated,
        KernelIsa.Vector512 => Vector512.IsHardwareAccelerated,
        _ => false,
    };

    private static KernelIsa[] BuildSupported()
    {
        var list = new List<KernelIsa>(4);
        foreach (KernelIsa isa in Enum.GetValues<KernelIsa>())
        {
            if (IsSupported(isa))
            {
                list.Add(isa);
            }
        }

        return [.. list];
    }
}
