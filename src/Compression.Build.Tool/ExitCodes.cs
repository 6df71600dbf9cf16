using Compression.Onnx;

namespace Compression.Build.Tool;

/// <summary>The tool's exit codes (README, "compress-model").</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>A coded error about the model or the work (CMP1xxx model IO, CMP4xxx passes, conversion, validation).</summary>
    public const int ModelError = 1;

    /// <summary>A coded error about the settings or the command line (CMP2xxx, CMP5xxx).</summary>
    public const int SettingsError = 2;

    /// <summary>An unexpected failure (CMP0000): a bug to report.</summary>
    public const int Unexpected = 3;

    /// <summary>Cancelled by Ctrl+C or SIGTERM (128 + SIGINT, as shells report it); nothing was written.</summary>
    public const int Cancelled = 130;

    /// <summary>The exit code of a coded error.</summary>
    public static int For(string code) => code switch
    {
        DiagnosticCodes.InternalError => Unexpected,
        DiagnosticCodes.InvalidSettings => SettingsError,
        _ when code.StartsWith("CMP2", StringComparison.Ordinal) || code.StartsWith("CMP5", StringComparison.Ordinal) => SettingsError,
        _ => ModelError,
    };
}
