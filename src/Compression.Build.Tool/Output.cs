using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compression.Onnx.Settings;
using Compression.Tasks.Diagnostics;

namespace Compression.Build.Tool;

/// <summary>Writes results and coded errors, as text (errors on stderr) or as one JSON object on stdout.</summary>
internal sealed class Output(bool json, TextWriter stdout, TextWriter stderr)
{
    // Read by people and scripts, never embedded in HTML: '>' and quotes stay as written.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public bool Json { get; } = json;

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>Reports one coded error and returns its exit code (<see cref="ExitCodes.For"/>).</summary>
    public int Fail(string code, string message, string? file, string help)
    {
        if (Json)
        {
            Out.WriteLine(new JsonObject { ["error"] = ErrorObject(code, message, file, help) }.ToJsonString(Indented));
        }
        else
        {
            WriteError(code, message, file, help);
        }

        return ExitCodes.For(code);
    }

    /// <summary>Reports the errors among the build's diagnostics (the warnings go to stderr in text mode) and returns the settings exit code.</summary>
    public int Fail(IReadOnlyList<BuildDiagnostic> diagnostics) =>
        FailAll(diagnostics.Where(d => !d.IsWarning).Select(d => (d.Code, d.Message, d.File, d.Help)).ToList());

    /// <summary>Reports the settings binder's errors and returns the settings exit code.</summary>
    public int Fail(IReadOnlyList<SettingProblem> problems) =>
        FailAll(problems.Where(p => !p.IsWarning).Select(p => (p.Code, p.Message, (string?)null, p.Help)).ToList());

    public void Write(JsonObject result) => Out.WriteLine(result.ToJsonString(Indented));

    private int FailAll(List<(string Code, string Message, string? File, string Help)> errors)
    {
        if (Json)
        {
            var list = new JsonArray();
            foreach (var (code, message, file, help) in errors) list.Add(ErrorObject(code, message, file, help));
            Out.WriteLine(new JsonObject { ["error"] = list[0]!.DeepClone(), ["errors"] = list }.ToJsonString(Indented));
        }
        else
        {
            foreach (var (code, message, file, help) in errors) WriteError(code, message, file, help);
        }

        return ExitCodes.SettingsError;
    }

    /// <summary>A coded error as JSON: code, message, file, help.</summary>
    public static JsonObject ErrorObject(string code, string message, string? file, string help) =>
        new() { ["code"] = code, ["message"] = message, ["file"] = file, ["help"] = help };

    private void WriteError(string code, string message, string? file, string help)
    {
        Error.WriteLine((file is null ? string.Empty : file + ": ") + "error " + code + ": " + message);
        if (help.Length > 0) Error.WriteLine("  " + help);
    }
}
