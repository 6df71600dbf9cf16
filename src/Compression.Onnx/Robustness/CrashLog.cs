using System.Globalization;
using System.Runtime.InteropServices;

namespace Compression.Onnx.Robustness;

/// <summary>Writes the full trace of an internal error beside the build's other files, so the message stays one line.</summary>
internal static class CrashLog
{
    /// <summary>Writes the log and returns how the message refers to it: "the log '/path'" or why there is none.</summary>
    public static string Write(Exception exception, string modelPath, string setting, string? directory)
    {
        try
        {
            string folder = directory ?? Path.Combine(Path.GetTempPath(), "Compression.Build");
            Directory.CreateDirectory(folder);

            // One log per model, replaced by the next failure: a build that fails again does not pile up files.
            string path = Path.Combine(Path.GetFullPath(folder), Path.GetFileName(modelPath) + ".error.log");
            string text = string.Create(
                CultureInfo.InvariantCulture,
                $"""
                Compression.Build internal error
                time:    {DateTime.UtcNow:O}
                model:   {modelPath}
                setting: {setting.Trim()}
                engine:  {typeof(CrashLog).Assembly.GetName().Version}
                runtime: {RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})

                {exception}

                """);
            File.WriteAllText(path, text);
            return $"the log '{path}'";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"this message (the trace could not be written: {e.Message.Split('\n', 2)[0].Trim()})";
        }
    }
}
