using System.Diagnostics;
using System.Text;

namespace Compression.Tasks.Tests.Infrastructure;

/// <summary>The result of one <c>dotnet</c> command.</summary>
internal sealed record DotNetResult(int ExitCode, string Output, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    // Detailed logs run to megabytes; the end holds the errors and the summary.
    public override string ToString() =>
        $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s:\n{(Output.Length > 20_000 ? "..." + Output[^20_000..] : Output)}";
}

/// <summary>Runs the SDK's <c>dotnet</c> the way a user does, isolated from build servers.</summary>
internal static class DotNet
{
    public static DotNetResult Run(string workingDirectory, params string[] arguments) =>
        Run(workingDirectory, TimeSpan.FromMinutes(5), arguments);

    public static DotNetResult Run(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        RunProgram("dotnet", workingDirectory, timeout, arguments);

    /// <summary>Runs another program (an installed .NET tool) with the same isolated environment.</summary>
    public static DotNetResult RunProgram(string program, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var clock = Stopwatch.StartNew();
        using Process process = Start(workingDirectory, arguments, out StringBuilder output, program);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {timeout}:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new DotNetResult(process.ExitCode, output.ToString(), clock.Elapsed);
        }
    }

    /// <summary>Starts <c>dotnet</c> without waiting (the kill test stops it half way).</summary>
    public static Process Start(string workingDirectory, string[] arguments, out StringBuilder output, string program = "dotnet")
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // No long-lived MSBuild nodes: each build loads the task fresh, and nothing outlives the test.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["MSBUILDTERMINALLOGGER"] = "off";

        // The test host's own MSBuild/SDK variables would redirect the child build.
        foreach (string inherited in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" })
        {
            info.Environment.Remove(inherited);
        }

        var text = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(text, e.Data);
        process.ErrorDataReceived += (_, e) => Append(text, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = text;
        return process;
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }
    }
}
