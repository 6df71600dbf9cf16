namespace Compression.Tasks.Diagnostics;

/// <summary>
/// One coded problem found while preparing or compressing a <c>CompressedModel</c> item: data, not
/// yet logged, so the sanity check can collect every problem of every item and report them together.
/// </summary>
/// <param name="Code">The stable <c>CMPxxxx</c> code, listed in docs/diagnostics.md.</param>
/// <param name="Message">What is wrong, naming the item and the metadata.</param>
/// <param name="Help">How to fix it.</param>
/// <param name="File">The file to point at: the project that declares the item, or the model.</param>
/// <param name="IsWarning">A warning instead of an error.</param>
internal sealed record BuildDiagnostic(string Code, string Message, string Help, string? File, bool IsWarning = false);
