using Onnx;

namespace Compression.Onnx.Passes;

/// <summary>
/// Rewrites by the operator type they handle, like ONNX Runtime's <c>IntegerOpsRegistry</c>/<c>QDQRegistry</c>: a
/// rewrite that walks the graph asks the registry for each node, so adding an operator is adding an entry.
/// </summary>
/// <typeparam name="T">The kind of per-operator rewrite.</typeparam>
internal sealed class OpRegistry<T>
    where T : class, IOpRewrite
{
    private readonly Dictionary<string, T> _byOpType = new(StringComparer.Ordinal);

    /// <summary>Registers <paramref name="rewrites"/>; two for the same operator type is a programming error.</summary>
    public OpRegistry(IEnumerable<T> rewrites)
    {
        foreach (T rewrite in rewrites)
        {
            if (!_byOpType.TryAdd(rewrite.OpType, rewrite))
            {
                throw new ArgumentException($"Two rewrites for {rewrite.OpType}.", nameof(rewrites));
            }
        }
    }

    /// <summary>The operator types with a rewrite.</summary>
    public IEnumerable<string> OpTypes => _byOpType.Keys;

    /// <summary>The rewrite for <paramref name="opType"/>, or <see langword="null"/>.</summary>
    public T? Find(string opType) => _byOpType.GetValueOrDefault(opType);

    /// <summary>The rewrite for <paramref name="node"/>'s operator type, or <see langword="null"/> (the caller checks the domain).</summary>
    public T? Find(NodeProto node) => Find(node.OpType);
}
