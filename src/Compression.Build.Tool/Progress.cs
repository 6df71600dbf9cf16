namespace Compression.Build.Tool;

/// <summary>
/// Shows that a long compression is alive: on a terminal, an elapsed-time line on stderr redrawn in place once the work
/// has taken more than a second; when stderr is redirected, one plain line at the start. The engine reports no
/// fraction done, so this shows time, not a percentage.
/// </summary>
internal sealed class Progress : IDisposable
{
    private readonly Timer? _timer;
    private readonly Output _output;
    private readonly DateTime _start = DateTime.UtcNow;
    private bool _drawn;

    public Progress(Output output, string name)
    {
        _output = output;
        if (output.Json) return;
        if (Console.IsErrorRedirected || !ReferenceEquals(output.Error, Console.Error))
        {
            output.Error.WriteLine("compressing " + name);
            return;
        }

        _timer = new Timer(_ => Draw(name), null, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500));
    }

    public void Dispose()
    {
        _timer?.Dispose();
        if (_drawn) _output.Error.Write("\r\u001b[2K");
    }

    private void Draw(string name)
    {
        _drawn = true;
        _output.Error.Write($"\r{name}: compressing... {(DateTime.UtcNow - _start).TotalSeconds:0} s");
    }
}
