namespace Compression.Build.Tool;

/// <summary>The tool's own codes (CMP50xx), listed in docs/diagnostics.md.</summary>
internal static class ToolDiagnostics
{
    /// <summary>The command line does not parse (unknown command or option, missing argument).</summary>
    public const string InvalidCommandLine = "CMP5001";

    /// <summary>The output path is the input model itself.</summary>
    public const string OutputIsInput = "CMP5002";
}
