using System.CommandLine;
using Compression.Onnx;

namespace Compression.Build.Tool;

/// <summary>The <c>compress-model</c> commands: compress, inspect, validate. Every failure is a coded error and an exit code, never a stack trace.</summary>
internal static class CommandLine
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var json = new Option<bool>("--json") { Description = "Write the result (or the error) as one JSON object on stdout.", Recursive = true };
        var root = new RootCommand("Compress, inspect and validate ONNX models with the engine and settings of Compression.Build.");
        root.Options.Add(json);
        root.Subcommands.Add(CompressCommand.Create(json, stdout, stderr));
        root.Subcommands.Add(InspectCommand.Create(json, stdout, stderr));
        root.Subcommands.Add(ValidateCommand.Create(json, stdout, stderr));
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var output = new Output(parsed.GetValue(json), stdout, stderr);
            return output.Fail(ToolDiagnostics.InvalidCommandLine, string.Join(" ", parsed.Errors.Select(e => e.Message)), null, "Run compress-model --help for the commands and options.", ExitCodes.SettingsError);
        }

        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>Runs a command body: coded errors become exit codes, anything else CMP0000 without a stack trace.</summary>
    public static int Guard(Output output, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (CompressionException e)
        {
            return output.Fail(e.Code, e.Message, e.FilePath, e.Help, e.Code.StartsWith("CMP2", StringComparison.Ordinal) || e.Code.StartsWith("CMP5", StringComparison.Ordinal) || e.Code == DiagnosticCodes.InvalidSettings ? ExitCodes.SettingsError : ExitCodes.ModelError);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return output.Fail(DiagnosticCodes.Unspecified, $"Unexpected {e.GetType().Name}: {e.Message}", null, "This is a bug in compress-model; report it with the command line and the model.", ExitCodes.Unexpected);
        }
    }
}
