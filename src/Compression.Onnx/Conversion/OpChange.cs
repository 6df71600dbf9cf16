namespace Compression.Onnx.Conversion;

/// <summary>
/// What converting a node across one schema change of its operator takes: <paramref name="Up"/> rewrites a node of
/// the older schema into schema <paramref name="Version"/>, <paramref name="Down"/> the reverse. A <see langword="null"/>
/// direction needs no edit (the change only widened types or added attributes with defaults).
/// </summary>
internal sealed record OpChange(string OpType, int Version, Action<NodeConversion>? Up, Action<NodeConversion>? Down);
