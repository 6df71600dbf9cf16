namespace Compression.Onnx.IO;

/// <summary>
/// A file written under a temporary name in its destination folder and renamed into place only
/// when complete, so readers never see a partial file and a failure leaves nothing behind.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private bool _committed;

    public AtomicFile(string finalPath)
    {
        FinalPath = finalPath;
        string folder = Path.GetDirectoryName(finalPath) ?? ".";
        // Same folder as the destination: the rename stays on one file system and is atomic.
        TempPath = Path.Combine(folder, $".{Path.GetFileName(finalPath)}.{Guid.NewGuid():N}.tmp");
        Stream = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    public string FinalPath { get; }

    public string TempPath { get; }

    public FileStream Stream { get; }

    /// <summary>Closes the temporary file; call <see cref="Commit"/> afterwards to move it into place.</summary>
    public void Close() => Stream.Dispose();

    public void Commit()
    {
        Stream.Dispose();
        File.Move(TempPath, FinalPath, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (!_committed)
        {
            try
            {
                File.Delete(TempPath);
            }
            catch (IOException)
            {
                // Best effort: the original error matters more than a leftover temp file.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
