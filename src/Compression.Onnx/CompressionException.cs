namespace Compression.Onnx;

/// <summary>
/// An error a user can hit with bad input or a failed operation: it carries a stable code
/// (<c>CMPxxxx</c>, listed in <c>docs/diagnostics.md</c>), the file it is about and a help text
/// that says how to fix it.
/// </summary>
public sealed class CompressionException : Exception
{
    /// <summary>Creates an exception with a code, a message, the file concerned and a help text.</summary>
    /// <param name="code">The stable diagnostic code, for example <c>CMP1002</c>.</param>
    /// <param name="message">What went wrong, in one sentence.</param>
    /// <param name="filePath">The file the error is about, or <see langword="null"/> when there is none.</param>
    /// <param name="help">How to fix it.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public CompressionException(string code, string message, string? filePath, string help, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
        FilePath = filePath;
        Help = help ?? string.Empty;
    }

    /// <summary>Creates an exception without a code (<c>CMP0000</c>); prefer the full constructor.</summary>
    public CompressionException()
        : this(DiagnosticCodes.Unspecified, "Compression failed.", null, string.Empty)
    {
    }

    /// <summary>Creates an exception without a code (<c>CMP0000</c>); prefer the full constructor.</summary>
    /// <param name="message">What went wrong.</param>
    public CompressionException(string message)
        : this(DiagnosticCodes.Unspecified, message, null, string.Empty)
    {
    }

    /// <summary>Creates an exception without a code (<c>CMP0000</c>); prefer the full constructor.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CompressionException(string message, Exception innerException)
        : this(DiagnosticCodes.Unspecified, message, null, string.Empty, innerException)
    {
    }

    /// <summary>The stable diagnostic code, for example <c>CMP1002</c>.</summary>
    public string Code { get; }

    /// <summary>The file the error is about (model, external data or output), or <see langword="null"/>.</summary>
    public string? FilePath { get; }

    /// <summary>How to fix the problem.</summary>
    public string Help { get; }

    /// <inheritdoc />
    public override string ToString() =>
        FilePath is null ? $"{Code}: {Message}" : $"{FilePath}: {Code}: {Message}";
}
