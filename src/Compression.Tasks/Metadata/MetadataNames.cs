namespace Compression.Tasks.Metadata;

/// <summary>The names of the <c>CompressedModel</c> item metadata (docs/metadata.md) and the ones MSBuild or the IDE add.</summary>
internal static class MetadataNames
{
    public const string Quantize = nameof(Quantize);
    public const string Mode = nameof(Mode);
    public const string PerChannel = nameof(PerChannel);
    public const string Symmetric = nameof(Symmetric);
    public const string BlockSize = nameof(BlockSize);
    public const string AccuracyLevel = nameof(AccuracyLevel);
    public const string WeightRange = nameof(WeightRange);
    public const string Sparsity = nameof(Sparsity);
    public const string Pruning = nameof(Pruning);
    public const string CalibrationData = nameof(CalibrationData);
    public const string ValidationData = nameof(ValidationData);
    public const string Validate = nameof(Validate);
    public const string Tolerance = nameof(Tolerance);
    public const string AutoFallback = nameof(AutoFallback);
    public const string ExcludeNodes = nameof(ExcludeNodes);
    public const string ExcludeOps = nameof(ExcludeOps);
    public const string Optimize = nameof(Optimize);
    public const string Format = nameof(Format);
    public const string TargetOpset = nameof(TargetOpset);
    public const string ClassName = nameof(ClassName);
    public const string Namespace = nameof(Namespace);
    public const string GenerateWrapper = nameof(GenerateWrapper);
    public const string Embed = nameof(Embed);
    public const string TargetPath = nameof(TargetPath);

    /// <summary>Every metadata a user may set on a <c>CompressedModel</c>.</summary>
    public static readonly IReadOnlyList<string> Product =
    [
        Quantize, Mode, PerChannel, Symmetric, BlockSize, AccuracyLevel, WeightRange, Sparsity, Pruning, CalibrationData, ValidationData,
        Validate, Tolerance, AutoFallback, ExcludeNodes, ExcludeOps, Optimize, Format, TargetOpset,
        ClassName, Namespace, GenerateWrapper, Embed, TargetPath,
    ];

    /// <summary>
    /// Metadata that MSBuild defines on every item (well-known metadata) or that IDEs and the SDK put on
    /// project items; they are not typos, so the unknown-metadata check accepts them.
    /// </summary>
    public static readonly IReadOnlySet<string> Tolerated = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "FullPath", "RootDir", "Filename", "Extension", "RelativeDir", "Directory", "RecursiveDir", "Identity",
        "ModifiedTime", "CreatedTime", "AccessedTime", "DefiningProjectFullPath", "DefiningProjectDirectory",
        "DefiningProjectName", "DefiningProjectExtension", "OriginalItemSpec",
        "Link", "Visible", "DependentUpon", "SubType", "Generator", "LastGenOutput", "DesignTime", "AutoGen",
    };

    private static readonly HashSet<string> s_product = new(Product, StringComparer.OrdinalIgnoreCase);

    public static bool IsKnown(string name) => s_product.Contains(name) || Tolerated.Contains(name);

    /// <summary>The product metadata closest to a misspelt name, or null when none is close (edit distance &lt;= 2).</summary>
    public static string? Suggest(string name)
    {
        string? best = null;
        int bestDistance = 3;
        foreach (string candidate in Product)
        {
            int distance = EditDistance(name.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    private static int EditDistance(string a, string b)
    {
        Span<int> previous = stackalloc int[b.Length + 1];
        Span<int> current = stackalloc int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            current.CopyTo(previous);
        }

        return previous[b.Length];
    }
}
