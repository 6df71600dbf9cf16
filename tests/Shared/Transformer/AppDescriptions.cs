namespace Compression.Testing.Transformer;

/// <summary>One application of Debian 12's AppStream metadata: its one-line summary and the first paragraph of its description.</summary>
internal sealed record AppDescription(string Id, string Package, string Summary, string Description);

/// <summary>
/// 400 real application descriptions (tests/data/sentences/appstream_apps.tsv; provenance in that folder's README):
/// the transformer tests' real sentences. The retrieval task: each summary is a query whose answer is its own
/// application's description among all 400.
/// </summary>
internal static class AppDescriptions
{
    private static readonly Lazy<IReadOnlyList<AppDescription>> s_all = new(Read);

    public static IReadOnlyList<AppDescription> All => s_all.Value;

    private static IReadOnlyList<AppDescription> Read()
    {
        var rows = new List<AppDescription>();
        foreach (string line in File.ReadLines(ArcticXs.Metadata("AppDescriptionsFile")).Skip(1))
        {
            string[] fields = line.Split('\t');
            if (fields.Length != 4) throw new InvalidDataException($"Expected 4 tab-separated fields: {line}");
            rows.Add(new AppDescription(fields[0], fields[1], fields[2], fields[3]));
        }

        return rows;
    }
}
