using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Compression.Kernels;

/// <summary>
/// Bin indices for <see cref="Histogram"/>: in-range values get <c>min((int)((v - min) * binsPerUnit), bins - 1)</c>
/// computed in double (as the scalar rule), and out-of-range values get sentinel slots <c>bins</c> (below),
/// <c>bins + 1</c> (above) and <c>bins + 2</c> (NaN). Generated per width from one template.
/// </summary>
internal static class HistogramBins
{
    public static void Compute(ReadOnlySpan<float> values, float min, float max, double binsPerUnit, int bins, Span<int> indices, KernelIsa isa)
    {
        int done = isa switch
        {
            KernelIsa.Vector512 => Compute512(values, min, max, binsPerUnit, bins, indices),
            KernelIsa.Vector256 => Compute256(values, min, max, binsPerUnit, bins, indices),
            KernelIsa.Vector128 => Compute128(values, min, max, binsPerUnit, bins, indices),
            _ => 0,
        };
        for (int i = done; i < values.Length; i++)
        {
            indices[i] = One(values[i], min, max, binsPerUnit, bins);
        }
    }

    public static int One(float v, float min, float max, double binsPerUnit, int bins)
    {
        if (v >= min && v <= max)
        {
            return Math.Min((int)((v - (double)min) * binsPerUnit), bins - 1);
        }

        return v < min ? bins : v > max ? bins + 1 : bins + 2;
    }

    private static int Compute512(ReadOnlySpan<float> values, float min, float max, double binsPerUnit, int bins, Span<int> indices)
    {
        ref float x = ref MemoryMarshal.GetReference(values);
        ref int d = ref MemoryMarshal.GetReference(indices);
        var lo = Vector512.Create(min);
        var hi = Vector512.Create(max);
        var loD = Vector512.Create((double)min);
        var scale = Vector512.Create(binsPerUnit);
        var last = Vector512.Create(bins - 1);
        var below = Vector512.Create(bins);
        var above = Vector512.Create(bins + 1);
        var nan = Vector512.Create(bins + 2);
        nuint n = (nuint)values.Length;
        nuint i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var v = Vector512.LoadUnsafe(ref x, i);
            var (a, b) = Vector512.Widen(v);
            var bin = Vector512.Narrow(Vector512.ConvertToInt64((a - loD) * scale), Vector512.ConvertToInt64((b - loD) * scale));
            bin = Vector512.Min(bin, last);
            var inRange = (Vector512.GreaterThanOrEqual(v, lo) & Vector512.LessThanOrEqual(v, hi)).AsInt32();
            var outside = Vector512.ConditionalSelect(Vector512.LessThan(v, lo).AsInt32(), below, Vector512.ConditionalSelect(Vector512.GreaterThan(v, hi).AsInt32(), above, nan));
            Vector512.ConditionalSelect(inRange, bin, outside).StoreUnsafe(ref d, i);
        }

        return (int)i;
    }

    private static int Compute256(ReadOnlySpan<float> values, float min, float max, double binsPerUnit, int bins, Span<int> indices)
    {
        ref float x = ref MemoryMarshal.GetReference(values);
        ref int d = ref MemoryMarshal.GetReference(indices);
        var lo = Vector256.Create(min);
        var hi = Vector256.Create(max);
        var loD = Vector256.Create((double)min);
        var scale = Vector256.Create(binsPerUnit);
        var last = Vector256.Create(bins - 1);
        var below = Vector256.Create(bins);
        var above = Vector256.Create(bins + 1);
        var nan = Vector256.Create(bins + 2);
        nuint n = (nuint)values.Length;
        nuint i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var v = Vector256.LoadUnsafe(ref x, i);
            var (a, b) = Vector256.Widen(v);
            var bin = Vector256.Narrow(Vector256.ConvertToInt64((a - loD) * scale), Vector256.ConvertToInt64((b - loD) * scale));
            bin = Vector256.Min(bin, last);
            var inRange = (Vector256.GreaterThanOrEqual(v, lo) & Vector256.LessThanOrEqual(v, hi)).AsInt32();
            var outside = Vector256.ConditionalSelect(Vector256.LessThan(v, lo).AsInt32(), below, Vector256.ConditionalSelect(Vector256.GreaterThan(v, hi).AsInt32(), above, nan));
            Vector256.ConditionalSelect(inRange, bin, outside).StoreUnsafe(ref d, i);
        }

        return (int)i;
    }

    private static int Compute128(ReadOnlySpan<float> values, float min, float max, double binsPerUnit, int bins, Span<int> indices)
    {
        ref float x = ref MemoryMarshal.GetReference(values);
        ref int d = ref MemoryMarshal.GetReference(indices);
        var lo = Vector128.Create(min);
        var hi = Vector128.Create(max);
        var loD = Vector128.Create((double)min);
        var scale = Vector128.Create(binsPerUnit);
        var last = Vector128.Create(bins - 1);
        var below = Vector128.Create(bins);
        var above = Vector128.Create(bins + 1);
        var nan = Vector128.Create(bins + 2);
        nuint n = (nuint)values.Length;
        nuint i = 0;
        for (; i + 4 <= n; i += 4)
        {
            var v = Vector128.LoadUnsafe(ref x, i);
            var (a, b) = Vector128.Widen(v);
            var bin = Vector128.Narrow(Vector128.ConvertToInt64((a - loD) * scale), Vector128.ConvertToInt64((b - loD) * scale));
            bin = Vector128.Min(bin, last);
            var inRange = (Vector128.GreaterThanOrEqual(v, lo) & Vector128.LessThanOrEqual(v, hi)).AsInt32();
            var outside = Vector128.ConditionalSelect(Vector128.LessThan(v, lo).AsInt32(), below, Vector128.ConditionalSelect(Vector128.GreaterThan(v, hi).AsInt32(), above, nan));
            Vector128.ConditionalSelect(inRange, bin, outside).StoreUnsafe(ref d, i);
        }

        return (int)i;
    }
}
