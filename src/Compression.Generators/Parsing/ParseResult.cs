using Compression.Generators.Model;

namespace Compression.Generators.Parsing;

/// <summary>What parsing one manifest produced: a model when it is usable, and the diagnostics either way.</summary>
internal sealed record ParseResult(string ManifestPath, ModelSpec? Model, EquatableArray<DiagnosticInfo> Diagnostics);
