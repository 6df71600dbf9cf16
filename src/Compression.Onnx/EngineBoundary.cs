using System.Globalization;
using System.Reflection;
using Compression.Onnx.Robustness;

namespace Compression.Onnx;

/// <summary>
/// The one place where the engine's failures become coded diagnostics: whatever a model or a pass throws leaves
/// as a <see cref="CompressionException"/> (or an <see cref="OperationCanceledException"/> when the caller
/// cancelled). The MSBuild task and the command line call the engine through it, so no host ever shows a stack
/// trace for bad input.
/// </summary>
/// <remarks>
/// Wrappers from parallel loops and reflection (<see cref="AggregateException"/>, <see cref="TargetInvocationException"/>,
/// <see cref="TypeInitializationException"/>) are unwrapped to the coded error inside. Anything else is a bug: it
/// becomes <see cref="DiagnosticCodes.InternalError"/> (<c>CMP0000</c>) with the model, the setting and one line of
/// cause, and the full trace goes to a log file whose path the message gives.
/// </remarks>
public static class EngineBoundary
{
    /// <summary>Runs engine work on one model and turns every failure into a coded error.</summary>
    /// <typeparam name="T">What the work returns.</typeparam>
    /// <param name="work">The engine call, for example <c>() =&gt; ModelCompressor.Compress(source, output, settings, token)</c>.</param>
    /// <param name="modelPath">The model the work is about (named by every diagnostic).</param>
    /// <param name="settings">The settings it runs with (named by an internal error), or <see langword="null"/>.</param>
    /// <param name="logDirectory">Where an internal error writes its trace (the build uses its folder under <c>obj</c>); <see langword="null"/> for the temp folder.</param>
    /// <param name="cancellationToken">The token the work observes: when it is cancelled, the cancellation propagates as itself.</param>
    /// <returns>What <paramref name="work"/> returned.</returns>
    /// <exception cref="CompressionException">Every failure of the work, coded.</exception>
    /// <exception cref="OperationCanceledException">The work was cancelled through <paramref name="cancellationToken"/>.</exception>
    public static T Run<T>(Func<T> work, string modelPath, CompressionSettings? settings, string? logDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            return work();
        }
        catch (Exception e) when (e is not CompressionException { Code: not DiagnosticCodes.Unspecified, FilePath: not null })
        {
            if (cancellationToken.IsCancellationRequested && Causes(e).Any(c => c is OperationCanceledException))
            {
                throw new OperationCanceledException("The compression was cancelled.", e, cancellationToken);
            }

            throw ToDiagnostic(e, modelPath, settings, logDirectory);
        }
    }

    /// <summary>The coded error an exception from the engine stands for (see the class remarks); writes the trace log for an internal error.</summary>
    /// <param name="exception">What the engine threw.</param>
    /// <param name="modelPath">The model the work was about.</param>
    /// <param name="settings">The settings it ran with, or <see langword="null"/>.</param>
    /// <param name="logDirectory">Where an internal error writes its trace; <see langword="null"/> for the temp folder.</param>
    public static CompressionException ToDiagnostic(Exception exception, string modelPath, CompressionSettings? settings, string? logDirectory)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        Exception cause = Unwrap(exception);
        return cause switch
        {
            CompressionException { Code: not DiagnosticCodes.Unspecified } coded when coded.FilePath is not null => coded,
            CompressionException coded => new CompressionException(coded.Code, coded.Message, modelPath, coded.Help, coded),
            OutOfMemoryException or InsufficientMemoryException => new CompressionException(
                DiagnosticCodes.OutOfMemory,
                $"The machine ran out of memory while compressing '{Path.GetFileName(modelPath)}'{Describe(settings)}.",
                modelPath,
                "Build the model on a machine with more memory, close other programs, or build projects one at a time (dotnet build -m:1) so several large models are not compressed at once.",
                cause),
            InsufficientExecutionStackException => new CompressionException(
                DiagnosticCodes.NestingTooDeep,
                $"The graph of '{Path.GetFileName(modelPath)}' nests subgraphs too deeply to process.",
                modelPath,
                "The model is malformed or crafted: re-export it with fewer nested If/Loop/Scan bodies.",
                cause),
            IOException or UnauthorizedAccessException => new CompressionException(
                DiagnosticCodes.FileAccessFailed,
                $"A file could not be accessed while compressing '{Path.GetFileName(modelPath)}': {FirstLine(cause.Message)}",
                modelPath,
                "Check that no other process holds the model or the output, that the output folder is writable and that the disk has space, then build again.",
                cause),
            _ => Internal(cause, exception, modelPath, settings, logDirectory),
        };
    }

    /// <summary>The innermost meaningful cause: the first coded error inside wrappers, else the first cause.</summary>
    private static Exception Unwrap(Exception exception)
    {
        IEnumerable<Exception> causes = Causes(exception);
        return causes.FirstOrDefault(c => c is CompressionException { Code: not DiagnosticCodes.Unspecified })
            ?? causes.FirstOrDefault(c => c is OutOfMemoryException or InsufficientMemoryException)
            ?? causes.First(c => !IsWrapper(c));
    }

    /// <summary>The exception and everything it wraps, wrappers included, depth first.</summary>
    private static IEnumerable<Exception> Causes(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        int seen = 0;
        while (pending.Count > 0 && seen++ < 1000)
        {
            Exception e = pending.Pop();
            yield return e;
            if (e is AggregateException aggregate)
            {
                for (int i = aggregate.InnerExceptions.Count - 1; i >= 0; i--) pending.Push(aggregate.InnerExceptions[i]);
            }
            else if (IsWrapper(e) && e.InnerException is not null)
            {
                pending.Push(e.InnerException);
            }
        }
    }

    private static bool IsWrapper(Exception e) =>
        (e is AggregateException { InnerExceptions.Count: > 0 }) || (e is TargetInvocationException or TypeInitializationException && e.InnerException is not null);

    private static CompressionException Internal(Exception cause, Exception original, string modelPath, CompressionSettings? settings, string? logDirectory)
    {
        string log = CrashLog.Write(original, modelPath, Describe(settings), logDirectory);
        return new CompressionException(
            DiagnosticCodes.InternalError,
            $"Unexpected error while compressing '{Path.GetFileName(modelPath)}'{Describe(settings)}: {cause.GetType().Name}: {FirstLine(cause.Message)} This is a bug in Compression.Build, not in your model: please report it with the model and {log}.",
            modelPath,
            "Please report it (the log holds the full trace). Meanwhile another setting, or ExcludeNodes/ExcludeOps on the failing part, may avoid it.",
            original);
    }

    /// <summary>The settings an internal error names, in the item's metadata words.</summary>
    internal static string Describe(CompressionSettings? settings)
    {
        if (settings is null) return string.Empty;
        var parts = new List<string> { "Quantize=" + settings.Quantize };
        if (settings.Quantize != QuantizationType.None) parts.Add("Mode=" + settings.EffectiveMode);
        if (settings.Sparsity > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"Pruning={settings.Pruning} Sparsity={settings.Sparsity}"));
        return " with " + string.Join(" ", parts);
    }

    private static string FirstLine(string message)
    {
        string line = message.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "..." : line;
    }
}
