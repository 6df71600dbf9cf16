using Compression.Onnx.Graph;

namespace Compression.Onnx.Passes;

/// <summary>
/// What the rewrites of one pass share: the <see cref="ModelGraph"/> of the model, the settings, the names of the
/// weights already claimed by an earlier rewrite, and counts for the pass's summary. Built per pass run, so nothing
/// outlives it (no static state in a process MSBuild reuses).
/// </summary>
internal sealed class RewriteContext
{
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, object> _results = [];
    private ModelGraph? _graph;

    public RewriteContext(CompressionContext pass)
    {
        Pass = pass;
    }

    /// <summary>The pipeline's context: model, settings, source path, and where the summary, metadata and notes go.</summary>
    public CompressionContext Pass { get; }

    public CompressionSettings Settings => Pass.Settings;

    /// <summary>The model file, for diagnostics.</summary>
    public string SourcePath => Pass.SourcePath;

    /// <summary>
    /// The graph model, built on first use and again after <see cref="GraphChanged"/>. Between the two it describes the
    /// model as it was built (see <see cref="ModelGraph"/> for the rule).
    /// </summary>
    public ModelGraph Graph => _graph ??= ModelGraph.Build(Pass.Model);

    /// <summary>
    /// Says that a rewrite changed which nodes produce or read existing values (a fold, a fusion, an opset change): the
    /// next use of <see cref="Graph"/> builds it again. Claims and counts stay.
    /// </summary>
    public void GraphChanged() => _graph = null;

    /// <summary>
    /// Told (weights done, weights) by the running rewrite as it works, from any thread, mapped into its share of the
    /// stage (<see cref="IRewrite.CountsWeights"/>); null when nobody listens or the rewrite counts nothing.
    /// </summary>
    public Action<int, int>? WeightsDone { get; set; }

    /// <summary>Marks a weight (or a tensor a rewrite wrote) as taken: later rewrites of the pass leave it alone.</summary>
    public void Claim(string name) => _claimed.Add(name);

    /// <summary>Whether an earlier rewrite took or wrote <paramref name="name"/>.</summary>
    public bool IsClaimed(string name) => _claimed.Contains(name);

    /// <summary>Adds <paramref name="count"/> to what the pass reports under <paramref name="what"/>.</summary>
    public void Record(string what, int count = 1) => _counts[what] = _counts.GetValueOrDefault(what) + count;

    /// <summary>What was recorded under <paramref name="what"/> (0 when nothing).</summary>
    public int Count(string what) => _counts.GetValueOrDefault(what);

    /// <summary>Hands a rewrite's result (for example a report) to the pass's <see cref="RewritePass.Report"/>; one per type.</summary>
    public void SetResult<T>(T result)
        where T : class => _results[typeof(T)] = result;

    /// <summary>The result a rewrite handed over with <see cref="SetResult{T}"/>.</summary>
    public T Result<T>()
        where T : class => (T)_results[typeof(T)];
}
