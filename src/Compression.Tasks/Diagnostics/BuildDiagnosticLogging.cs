using Microsoft.Build.Utilities;

namespace Compression.Tasks.Diagnostics;

/// <summary>Writes <see cref="BuildDiagnostic"/>s to the MSBuild log in the <c>file: error CMPxxxx: message help</c> shape.</summary>
internal static class BuildDiagnosticLogging
{
    public static void LogDiagnostic(this TaskLoggingHelper log, BuildDiagnostic diagnostic)
    {
        // The help text goes into the message: it is what users read in the console and the IDE error list.
        string text = diagnostic.Message + " " + diagnostic.Help;
        if (diagnostic.IsWarning)
        {
            log.LogWarning(subcategory: null, diagnostic.Code, helpKeyword: diagnostic.Code, diagnostic.File, 0, 0, 0, 0, text);
        }
        else
        {
            log.LogError(subcategory: null, diagnostic.Code, helpKeyword: diagnostic.Code, diagnostic.File, 0, 0, 0, 0, text);
        }
    }
}
