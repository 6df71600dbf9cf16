using System.Collections;
using Compression.Onnx.IO;
using Onnx;

namespace Compression.Onnx.Graph;

/// <summary>
/// Every constant tensor of a model's graph, wherever it lives: initializers, sparse initializers and
/// <c>Constant</c> nodes, in the main graph and recursively in the subgraphs of <c>If</c>, <c>Loop</c>,
/// <c>Scan</c> (any graph attribute). Each <see cref="Weight"/> lists its consumers, resolved with ONNX
/// scoping: a subgraph can use an outer-scope weight, and a name defined in a subgraph hides an outer one.
/// Built by the same walk as the rest of <see cref="ModelGraph"/>.
/// </summary>
/// <remarks>Function bodies (<c>model.functions</c>) and training-info graphs are not listed: their constants belong to every call site.</remarks>
public sealed class WeightCatalog : IReadOnlyList<Weight>
{
    private readonly List<Weight> _weights;

    internal WeightCatalog(List<Weight> weights)
    {
        _weights = weights;
        FloatWeights = weights.Where(w => w.IsFloat).ToArray();
    }

    /// <summary>The weights of a float-like element type (<c>float</c>, <c>float16</c>, <c>bfloat16</c>, <c>double</c>).</summary>
    public IReadOnlyList<Weight> FloatWeights { get; }

    /// <inheritdoc />
    public int Count => _weights.Count;

    /// <inheritdoc />
    public Weight this[int index] => _weights[index];

    /// <summary>Lists every weight of <paramref name="model"/> (the listing of <see cref="ModelGraph.Weights"/>; a pass asks its graph instead).</summary>
    /// <param name="model">The model.</param>
    public static WeightCatalog Build(OnnxModel model) => ModelGraph.Build(model).Weights;

    /// <summary>The weights with this name (one per graph that defines it; usually one).</summary>
    /// <param name="name">The value name.</param>
    public IEnumerable<Weight> FindAll(string name) => _weights.Where(w => w.Name == name);

    /// <summary>The first weight with this name, or <see langword="null"/>.</summary>
    /// <param name="name">The value name.</param>
    public Weight? Find(string name) => _weights.Find(w => w.Name == name);

    /// <inheritdoc />
    public IEnumerator<Weight> GetEnumerator() => _weights.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
