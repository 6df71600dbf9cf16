namespace Compression.Generators.Parsing;

/// <summary>One manifest as the compiler hands it over: path, text (null when unreadable), and the fallback namespace.</summary>
internal sealed record ManifestInput(string Path, string? Text, string RootNamespace);
