using System.Text;

namespace Compression.Onnx.Settings;

/// <summary>The settings tables of docs/metadata.md, generated from <see cref="SettingsSchema"/> (a test keeps the file current).</summary>
public static class SettingsDocs
{
    /// <summary>The line before a generated table; the group name follows it.</summary>
    public const string BeginMarker = "<!-- generated from SettingsSchema: ";

    /// <summary>The line after a generated table.</summary>
    public const string EndMarker = "<!-- end of generated table -->";

    /// <summary>The markdown table of one group: metadata, values, default, meaning.</summary>
    /// <param name="group">The docs section.</param>
    public static string Table(SettingGroup group)
    {
        var text = new StringBuilder();
        text.Append("| metadata | values | default | meaning |\n|---|---|---|---|\n");
        foreach (Setting setting in SettingsSchema.All.Where(s => s.Group == group))
        {
            text.Append("| `").Append(setting.Name).Append("` | ").Append(setting.ValuesText).Append(" | ")
                .Append(setting.DefaultText).Append(" | ").Append(setting.Description).Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// <paramref name="markdown"/> with every generated table (between <see cref="BeginMarker"/><c>Group --></c> and
    /// <see cref="EndMarker"/>) replaced by the current <see cref="Table"/>.
    /// </summary>
    /// <param name="markdown">The text of docs/metadata.md.</param>
    public static string Regenerate(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var text = new StringBuilder();
        string[] lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            text.Append(lines[i]);
            if (i < lines.Length - 1)
            {
                text.Append('\n');
            }

            if (lines[i].StartsWith(BeginMarker, StringComparison.Ordinal))
            {
                string name = lines[i][BeginMarker.Length..].Replace("-->", string.Empty, StringComparison.Ordinal).Trim();
                text.Append(Table(Enum.Parse<SettingGroup>(name)));
                while (i + 1 < lines.Length && !lines[i + 1].StartsWith(EndMarker, StringComparison.Ordinal))
                {
                    i++;
                }
            }
        }

        return text.ToString();
    }
}
