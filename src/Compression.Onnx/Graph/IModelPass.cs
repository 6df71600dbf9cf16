using Compression.Onnx.IO;

namespace Compression.Onnx.Graph;

/// <summary>
/// One small model rewrite (graph -> graph): quantize weights, convert to float16, prune... Passes
/// edit <see cref="OnnxModel.Proto"/> in place and compose by running one after another.
/// </summary>
public interface IModelPass
{
    /// <summary>A short name for logs, for example <c>Int8DynamicQuantizer</c>.</summary>
    string Name { get; }

    /// <summary>Rewrites <paramref name="model"/>.</summary>
    /// <param name="model">The model to edit.</param>
    /// <param name="cancellationToken">Stops a long pass between weights.</param>
    void Apply(OnnxModel model, CancellationToken cancellationToken = default);
}
