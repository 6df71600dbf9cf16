using Compression.Onnx.Settings;

namespace Compression.Tasks.Metadata;

/// <summary>
/// Which metadata names a <c>CompressedModel</c> may carry: the settings of <see cref="SettingsSchema"/>
/// (docs/metadata.md) and the ones MSBuild or the IDE add.
/// </summary>
internal static class MetadataNames
{
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

    public static bool IsKnown(string name) => SettingsSchema.Find(name) is not null || Tolerated.Contains(name);

    /// <summary>The setting closest to a misspelt name, or null when none is close.</summary>
    public static string? Suggest(string name) => SettingsSchema.Closest(name)?.Name;
}
