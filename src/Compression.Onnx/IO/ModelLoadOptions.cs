namespace Compression.Onnx.IO;

/// <summary>Options for <see cref="OnnxModel.Load(string, ModelLoadOptions?)"/>.</summary>
public sealed class ModelLoadOptions
{
    /// <summary>
    /// The deepest nesting of protobuf messages the reader accepts (Google.Protobuf's default is also
    /// 100, set here on purpose). One level of subgraph nesting (node -> attribute -> graph) takes
    /// three levels, so 100 allows about 30 nested <c>If</c>/<c>Loop</c>/<c>Scan</c> bodies, far
    /// more than real models use, while a crafted recursion bomb stops early with <c>CMP1004</c>.
    /// </summary>
    public int RecursionLimit { get; init; } = DefaultRecursionLimit;

    /// <summary>The default <see cref="RecursionLimit"/>.</summary>
    public const int DefaultRecursionLimit = 100;

    /// <summary>The options used when none are given.</summary>
    public static ModelLoadOptions Default { get; } = new();
}
