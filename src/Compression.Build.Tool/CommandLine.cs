using System.CommandLine;
using Compression.Onnx;

namespace Compression.Build.Tool;

/// <summary>The <c>compress-model</c> commands: compress, inspect, validate. Every failure is a coded error and an exit code, never a stack trace.</summary>
internal static class CommandLine
{
    /// <summary>How long Ctrl+C waits for the engine to stop at its next check (between weights, between runs) before the process ends anyway.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => RunAsync(args, stdout, stderr).GetAwaiter().GetResult();

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
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
            return Task.FromResult(output.Fail(ToolDiagnostics.InvalidCommandLine, string.Join(" ", parsed.Errors.Select(e => e.Message)), null, "Run compress-model --help for the commands and options."));
        }

        return parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = StopTimeout });
    }

    /// <summary>
    /// Runs a command body on one model through the engine's boundary (<see cref="EngineBoundary"/>, as the MSBuild task
    /// does): a coded error becomes its exit code, anything unexpected CMP0000 with a trace log (never a stack trace on
    /// the console), a cancellation exit code 130.
    /// </summary>
    public static int Guard(Output output, string modelPath, CompressionSettings? settings, Func<int> body, CancellationToken cancellationToken)
    {
        try
        {
            return EngineBoundary.Run(body, modelPath, settings, logDirectory: null, cancellationToken);
        }
        catch (CompressionException e)
        {
            return output.Fail(e.Code, e.Message, e.FilePath, e.Help);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.Error.WriteLine(Path.GetFileName(modelPath) + ": cancelled; nothing was written.");
            return ExitCodes.Cancelled;
        }
    }
}
