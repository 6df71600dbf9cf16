using System.Text;

namespace Compression.Onnx.Settings;

/// <summary>
/// Resolved <see cref="CompressionSettings"/> as text, one <c>Name=value</c> line per engine setting of
/// <see cref="SettingsSchema"/> in schema order, canonical spellings, invariant culture. The same text for the
/// same settings whatever the user spelled: the MSBuild adapter hashes it into the settings stamp and writes it
/// beside the compressed model, and the compression reads it back instead of binding the item again.
/// </summary>
public static class SettingsText
{
    /// <summary>The canonical text of <paramref name="settings"/> (a line per setting; an unset optional value is empty).</summary>
    /// <param name="settings">Resolved settings.</param>
    public static string Write(CompressionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder();
        foreach (Setting setting in SettingsSchema.All.Where(s => s.IsEngineSetting))
        {
            text.Append(setting.Name).Append('=').Append(setting.ValueIn(settings)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Reads text written by <see cref="Write"/> back into settings.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="FormatException">A line is not a known setting with a valid value (the file was edited).</exception>
    public static CompressionSettings Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var settings = new CompressionSettings();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            Setting? setting = equals > 0 ? SettingsSchema.Find(line[..equals]) : null;
            if (setting?.Set is not { } set)
            {
                throw new FormatException("Not a setting line: " + line);
            }

            string raw = line[(equals + 1)..];
            if (raw.Length == 0)
            {
                continue;
            }

            if (!setting.TryParse(raw, out object? value, out SettingProblem? problem))
            {
                throw new FormatException(problem!.Message);
            }

            settings = set(settings, value);
        }

        return settings;
    }
}
