using Compression.Onnx.Graph;

namespace Compression.Onnx.Pruning;

/// <summary>
/// The weights magnitude and N:M pruning may zero: float tensors of rank 2 or more (matrices, kernels,
/// recurrent weights; never biases, norms or scalars) with at least a minimum number of elements, that are
/// not a graph output or an overridable graph input, and whose consumers are not excluded.
/// </summary>
internal static class PrunableWeights
{
    /// <summary>Before IR 4 every initializer had to be a graph input too, so that alone does not make it overridable.</summary>
    public const long InitializersAreInputsBefore = 4;

    public static List<Weight> Select(WeightCatalog catalog, PruningScope scope, long irVersion)
    {
        var selected = new List<Weight>();
        foreach (Weight weight in catalog.FloatWeights)
        {
            if (weight.Dims.Count < 2 || weight.ElementCount < scope.MinimumElements || weight.ElementCount > Array.MaxLength || (weight.IsGraphInput && irVersion >= InitializersAreInputsBefore))
            {
                continue;
            }

            if (weight.Consumers.Count == 0 || weight.Consumers.Any(c => c.Node is null || scope.Excludes(c.Node)))
            {
                continue;
            }

            selected.Add(weight);
        }

        return selected;
    }

    /// <summary>Float parameters of a model: elements of every float weight.</summary>
    public static long CountParameters(WeightCatalog catalog) => catalog.FloatWeights.Sum(w => w.ElementCount);
}
