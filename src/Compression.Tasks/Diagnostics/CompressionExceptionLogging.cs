using Compression.Onnx;
using Microsoft.Build.Utilities;

namespace Compression.Tasks.Diagnostics;

/// <summary>Reports the engine's coded errors in the build's <c>file: error CMPxxxx: message help</c> shape.</summary>
internal static class CompressionExceptionLogging
{
    public static void LogDiagnostic(this TaskLoggingHelper log, CompressionException exception, string fallbackFile) =>
        log.LogDiagnostic(new BuildDiagnostic(exception.Code, exception.Message, exception.Help, exception.FilePath ?? fallbackFile));
}
