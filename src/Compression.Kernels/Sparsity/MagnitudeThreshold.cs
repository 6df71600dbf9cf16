namespace Compression.Kernels;

/// <summary>
/// An exact cut for magnitude pruning: every element with <c>|w| &lt; Magnitude</c> is pruned, plus the first
/// <see cref="TiesToPrune"/> elements (in index order, across tensors in list order) with <c>|w| == Magnitude</c>.
/// This prunes exactly the requested count even when many weights share one magnitude.
/// </summary>
/// <param name="Magnitude">The largest pruned magnitude (0 when nothing is pruned).</param>
/// <param name="TiesToPrune">How many elements of exactly <paramref name="Magnitude"/> are pruned.</param>
public readonly record struct MagnitudeThreshold(float Magnitude, long TiesToPrune);
