namespace Compression.Tasks.Metadata;

/// <summary>What the reader needs to know about the project that declares the items.</summary>
/// <param name="ProjectDirectory">Absolute; relative metadata paths are resolved against it, like the Include.</param>
/// <param name="RootNamespace">The default <c>Namespace</c>.</param>
/// <param name="CompressionDirectory">Absolute <c>$(IntermediateOutputPath)compression/</c>.</param>
internal sealed record ProjectContext(string ProjectDirectory, string RootNamespace, string CompressionDirectory);
