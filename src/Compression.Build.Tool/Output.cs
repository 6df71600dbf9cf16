using System.Text.Json;
using System.Text.Json.Nodes;
using Compression.Tasks.Diagnostics;

namespace Compression.Build.Tool;

/// <summary>Writes results and coded errors, as text (errors on stderr) or as one JSON object on stdout.</summary>
internal sealed class Output(bool json, TextWriter stdout, TextWriter stderr)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public bool Json { get; } = json;

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public int Fail(string code, string message, string? file, string help, int exitCode)
    {
        if (Json)
        {
            Out.WriteLine(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["file"] = file, ["help"] = help } }.ToJsonString(Indented));
        }
        else
        {
            Error.WriteLine((file is null ? string.Empty : file + ": ") + "error " + code + ": " + message);
            if (help.Length > 0) Error.WriteLine("  " + help);
        }

        return exitCode;
    }

    public int Fail(IReadOnlyList<BuildDiagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => !d.IsWarning).ToList();
        if (Json)
        {
            var list = new JsonArray();
            foreach (var d in errors) list.Add(new JsonObject { ["code"] = d.Code, ["message"] = d.Message, ["file"] = d.File, ["help"] = d.Help });
            Out.WriteLine(new JsonObject { ["error"] = list[0]!.DeepClone(), ["errors"] = list }.ToJsonString(Indented));
            return ExitCodes.SettingsError;
        }

        foreach (var d in errors) Fail(d.Code, d.Message, d.File, d.Help, ExitCodes.SettingsError);
        return ExitCodes.SettingsError;
    }

    public void Write(JsonObject result) => Out.WriteLine(result.ToJsonString(Indented));
}
