namespace Compression.Onnx.Conversion;

/// <summary>
/// When each default-domain operator's schema changed, as ONNX Runtime 1.31.1 resolves them
/// (<c>OperatorVersions.txt</c>, embedded). A node of operator <c>op</c> in a model at opset <c>n</c> follows the
/// schema with the largest version at or below <c>n</c>; converting across a version means adapting the node.
/// </summary>
internal static class OperatorVersions
{
    /// <summary>The oldest default-domain opset ONNX Runtime runs (its documented backward-compatibility floor).</summary>
    public const int OldestSupported = 7;

    /// <summary>The newest default-domain opset ONNX Runtime 1.31.1 loads: it rejects 27 (ValidateOpsetForDomain).</summary>
    public const int NewestSupported = 26;

    private static readonly Dictionary<string, int[]> Table = Load();

    /// <summary>Schemas ONNX Runtime 1.31.1 knows but has no CPU kernel for, found by running the ONNX corpus converted to
    /// opset 26 (RoiAlign-22: "Could not find an implementation").</summary>
    private static readonly Dictionary<string, int> MissingKernels = new(StringComparer.Ordinal) { ["RoiAlign"] = 22 };

    /// <summary>The schema version from which ONNX Runtime's CPU provider has no kernel for <paramref name="opType"/>, if any.</summary>
    public static int? KernelMissingFrom(string opType) => MissingKernels.TryGetValue(opType, out int v) ? v : null;

    /// <summary>The opsets at which <paramref name="opType"/>'s schema changed, ascending; empty for an operator the table does not know.</summary>
    public static IReadOnlyList<int> Changes(string opType) => Table.TryGetValue(opType, out int[]? v) ? v : [];

    /// <summary>Whether the table knows <paramref name="opType"/>.</summary>
    public static bool IsKnown(string opType) => Table.ContainsKey(opType);

    /// <summary>The schema version a node of <paramref name="opType"/> follows at <paramref name="opset"/>, or <see langword="null"/> when the operator does not exist yet.</summary>
    public static int? SchemaAt(string opType, int opset)
    {
        int? found = null;
        foreach (int v in Changes(opType))
        {
            if (v <= opset) found = v;
        }

        return found;
    }

    /// <summary>Every operator the table knows.</summary>
    public static IEnumerable<string> Operators => Table.Keys;

    private static Dictionary<string, int[]> Load()
    {
        using Stream stream = typeof(OperatorVersions).Assembly.GetManifestResourceStream("Compression.Onnx.Conversion.OperatorVersions.txt")
            ?? throw new InvalidOperationException("The embedded operator table is missing from " + typeof(OperatorVersions).Assembly.GetName().Name);
        using var reader = new StreamReader(stream);
        var table = new Dictionary<string, int[]>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            table[parts[0]] = parts.Skip(1).Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
        }

        return table;
    }
}
