using System.Text;

namespace Compression.Onnx.IO;

/// <summary>
/// Files appear whole or not at all: content is written under a temporary name in the destination folder
/// (<see cref="TemporaryPathFor"/>, also the name of the engine's staging folders) and renamed into place only
/// when complete, so readers never see a partial file and a failure leaves nothing behind. A killed process
/// leaves at most a temporary file or folder, which <see cref="DeleteLeftovers"/> removes. The one scheme of the
/// engine and the MSBuild adapter.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private bool _committed;

    /// <summary>Opens a temporary file beside <paramref name="finalPath"/>; <see cref="Commit"/> moves it into place.</summary>
    /// <param name="finalPath">The file to create or replace.</param>
    public AtomicFile(string finalPath)
    {
        FinalPath = finalPath;
        TempPath = TemporaryPathFor(finalPath);
        Stream = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    /// <summary>The file created or replaced by <see cref="Commit"/>.</summary>
    public string FinalPath { get; }

    /// <summary>The temporary file being written.</summary>
    public string TempPath { get; }

    /// <summary>The temporary file's stream.</summary>
    public FileStream Stream { get; }

    /// <summary>
    /// A fresh temporary path beside <paramref name="path"/>, unique per call (several builds may race): hidden,
    /// <c>.&lt;name&gt;.&lt;id&gt;.tmp</c>, in the same folder so the rename stays on one file system and is atomic.
    /// </summary>
    /// <param name="path">The final path.</param>
    public static string TemporaryPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? ".", $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");

    /// <summary>Closes the temporary file; call <see cref="Commit"/> afterwards to move it into place.</summary>
    public void Close() => Stream.Dispose();

    /// <summary>Closes the temporary file and renames it over <see cref="FinalPath"/>.</summary>
    public void Commit()
    {
        Stream.Dispose();
        File.Move(TempPath, FinalPath, overwrite: true);
        _committed = true;
    }

    /// <summary>Deletes the temporary file unless it was committed.</summary>
    public void Dispose()
    {
        Stream.Dispose();
        if (!_committed)
        {
            try
            {
                File.Delete(TempPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: the original error matters more than a leftover temp file.
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="content"/> (UTF-8, no BOM) unless the file already holds exactly it, so its timestamp
    /// only moves when it really changed (it is an input of incremental targets).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="content">The text.</param>
    /// <returns>True when the file was written.</returns>
    public static bool WriteAllTextIfChanged(string path, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        byte[] bytes = s_utf8.GetBytes(content);
        if (File.Exists(path))
        {
            var existing = new FileInfo(path);
            if (existing.Length == bytes.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                return false;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = new AtomicFile(path);
        file.Stream.Write(bytes);
        file.Commit();
        return true;
    }

    /// <summary>
    /// Makes <paramref name="path"/> hold <paramref name="content"/> and be newer than the inputs of the target
    /// that wrote it: written when different, else only touched (so MSBuild sees the target as done).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="content">The text.</param>
    public static void Refresh(string path, string content)
    {
        if (!WriteAllTextIfChanged(path, content))
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
    }

    /// <summary>Deletes the temporary files and staging folders earlier, interrupted writes of <paramref name="path"/> and its companions left behind.</summary>
    /// <param name="path">A final path.</param>
    public static void DeleteLeftovers(string path)
    {
        string? directory = Path.GetDirectoryName(path);
        if (directory is null || !Directory.Exists(directory))
        {
            return;
        }

        // Ours are ".<name>.<id>.tmp" (files and staging folders) for the file and its companions ("<name>.manifest.json"...);
        // "<name>.<id>.tmp" files are what versions before the single scheme wrote.
        string name = Path.GetFileName(path);
        foreach (string leftover in Directory.EnumerateFiles(directory, name + ".*.tmp"))
        {
            File.Delete(leftover);
        }

        foreach (string leftover in Directory.EnumerateFileSystemEntries(directory, "." + name + ".*.tmp"))
        {
            if (Directory.Exists(leftover))
            {
                Directory.Delete(leftover, recursive: true);
            }
            else
            {
                File.Delete(leftover);
            }
        }
    }
}
