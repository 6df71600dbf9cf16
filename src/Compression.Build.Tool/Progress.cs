using System.Diagnostics;
using System.Globalization;
using Compression.Onnx;

namespace Compression.Build.Tool;

/// <summary>
/// Shows that long work is alive, once it has taken more than <see cref="Delay"/> (quick models print nothing
/// but their result): on a terminal, one bar of stages done on stderr, redrawn in place with the elapsed time and
/// cleared at the end; when stderr is redirected, one plain line per stage. The engine reports stages
/// (<see cref="CompressionProgress"/>: load, each pass, save, validate) and, inside the quantization passes, the share
/// of their weights done, so the bar moves with the stages and, in the long ones, with the weights.
/// </summary>
internal sealed class Progress : IProgress<CompressionProgress>, IDisposable
{
    /// <summary>Work shorter than this shows no progress at all.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    private const int BarWidth = 24;
    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly string _name;
    private readonly TimeSpan _delay;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private CompressionProgress? _current;
    private int _printed = -1;
    private bool _drawn;
    private bool _disposed;

    /// <summary>Creates a progress display for work on <paramref name="name"/>.</summary>
    /// <param name="writer">Where to draw (stderr).</param>
    /// <param name="interactive">A terminal: draw a bar in place; else plain lines.</param>
    /// <param name="name">What the work is on (the model's file name).</param>
    /// <param name="delay">Nothing is shown before this much time has passed.</param>
    public Progress(TextWriter writer, bool interactive, string name, TimeSpan delay)
    {
        _writer = writer;
        _interactive = interactive;
        _name = name;
        _delay = delay;
        TimeSpan first = delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1);
        _timer = new Timer(_ => Show(), null, first, interactive ? TimeSpan.FromMilliseconds(250) : Timeout.InfiniteTimeSpan);
    }

    /// <summary>The display for a command's output: none with <c>--json</c>, a bar when stderr is the console's terminal, else lines.</summary>
    public static Progress? For(Output output, string name) =>
        output.Json ? null : new Progress(output.Error, ReferenceEquals(output.Error, Console.Error) && !Console.IsErrorRedirected, name, Delay);

    /// <inheritdoc />
    public void Report(CompressionProgress value)
    {
        lock (_lock)
        {
            // Weights are counted on worker threads, so reports of one stage can arrive out of order: never move back.
            if (_current is { } shown && shown.Completed == value.Completed && shown.StageFraction > value.StageFraction) return;
            _current = value;
        }

        Show();
    }

    /// <summary>Stops drawing and clears the bar, so the result line starts on a clean line.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        lock (_lock)
        {
            _disposed = true;
            if (_drawn) _writer.Write("\r\u001b[2K");
            _writer.Flush();
        }
    }

    private void Show()
    {
        lock (_lock)
        {
            if (_disposed || _current is not { } p || _clock.Elapsed < _delay) return;
            string seconds = _clock.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
            if (_interactive)
            {
                int filled = p.Total == 0 ? 0 : (int)Math.Clamp((p.Completed + p.StageFraction) * BarWidth / p.Total, 0, BarWidth);
                string bar = new string('=', filled) + (filled < BarWidth ? ">" + new string(' ', BarWidth - filled - 1) : string.Empty);
                string share = p.StageFraction > 0 ? string.Create(CultureInfo.InvariantCulture, $" {p.StageFraction:0%}") : string.Empty;
                _writer.Write(string.Create(CultureInfo.InvariantCulture, $"\r\u001b[2K{_name} [{bar}] {p.Completed}/{p.Total} {p.Stage}{share}... {seconds} s"));
                _drawn = true;
            }
            else if (p.Completed != _printed)
            {
                _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_name}: {p.Stage} (stage {p.Completed + 1} of {p.Total}, {seconds} s)"));
                _printed = p.Completed;
            }

            _writer.Flush();
        }
    }
}
