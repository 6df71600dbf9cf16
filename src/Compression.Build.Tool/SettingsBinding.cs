using System.CommandLine;
using Compression.Onnx.Settings;
using Compression.Tasks.Diagnostics;
using Compression.Tasks.Metadata;
using Microsoft.Build.Utilities;

namespace Compression.Build.Tool;

/// <summary>
/// The command line's settings are the <c>CompressedModel</c> metadata, named in kebab-case (<c>TargetOpset</c> is
/// <c>--target-opset</c>), bound by the build's own reader: the same strings mean the same settings, with the same
/// coded errors, so the tool writes what <c>dotnet build</c> writes.
/// </summary>
internal static class SettingsBinding
{
    /// <summary>One option per engine setting of the settings schema (the generated class and output folder mean nothing outside a project).</summary>
    public static IReadOnlyList<(string Metadata, Option<string> Option)> CreateOptions() =>
        SettingsSchema.All.Where(s => s.IsEngineSetting)
            .Select(s => (s.Name, new Option<string>("--" + s.OptionName) { Description = s.Description }))
            .ToList();

    /// <summary>The model item the build would read for <paramref name="input"/> with these option values, or the coded problems.</summary>
    public static (ModelItem? Item, List<BuildDiagnostic> Diagnostics) Bind(string input, IEnumerable<(string Metadata, string? Value)> values)
    {
        var item = new TaskItem(input);
        foreach (var (metadata, value) in values)
        {
            if (value is not null) item.SetMetadata(metadata, value);
        }

        string directory = Directory.GetCurrentDirectory();
        var project = new ProjectContext(directory, "Models", Path.Combine(Path.GetTempPath(), "compress-model"));
        var diagnostics = new List<BuildDiagnostic>();
        ModelItem? model = ModelItemReader.Read(item, project, diagnostics);
        return (model, diagnostics);
    }
}
