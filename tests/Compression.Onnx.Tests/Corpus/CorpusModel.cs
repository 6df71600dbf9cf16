namespace Compression.Onnx.Tests.Corpus;

/// <summary>One model of the ONNX backend test corpus with its test-data folders.</summary>
internal sealed record CorpusModel(string Suite, string Name, string ModelPath, IReadOnlyList<string> DataSets)
{
    /// <summary>Where Debian's <c>libonnx-testdata</c> installs the corpus; <c>ONNX_TESTDATA</c> overrides it.</summary>
    public static string Root => Environment.GetEnvironmentVariable("ONNX_TESTDATA") is { Length: > 0 } custom ? custom : "/usr/share/libonnx-testdata/data";

    public static readonly string[] Suites = ["node", "pytorch-converted", "pytorch-operator", "simple"];

    public string Id => Suite + "/" + Name;

    public static IReadOnlyList<CorpusModel> FindAll()
    {
        var models = new List<CorpusModel>();
        foreach (string suite in Suites)
        {
            string folder = Path.Combine(Root, suite);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (string dir in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
            {
                string model = Path.Combine(dir, "model.onnx");
                if (File.Exists(model))
                {
                    string[] sets = Directory.GetDirectories(dir, "test_data_set_*").Order(StringComparer.Ordinal).ToArray();
                    models.Add(new CorpusModel(suite, Path.GetFileName(dir), model, sets));
                }
            }
        }

        return models;
    }
}
