using System.Globalization;
using System.Text;

namespace Compression.Tasks.Output;

/// <summary>
/// Files the build writes appear whole or not at all: content goes to a temporary file beside the
/// target, which is then renamed over it. A killed build leaves at most a <c>*.tmp</c> file, which the
/// next build of the same model deletes; never a truncated model, manifest or stamp.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>A fresh temporary path beside <paramref name="path"/>, unique per call (several builds may race).</summary>
    public static string TemporaryPathFor(string path) =>
        string.Create(CultureInfo.InvariantCulture, $"{path}.{Guid.NewGuid():N}.tmp");

    /// <summary>Renames a finished temporary file over <paramref name="path"/>.</summary>
    public static void Commit(string temporaryPath, string path) => File.Move(temporaryPath, path, overwrite: true);

    /// <summary>
    /// Writes <paramref name="content"/> unless the file already holds exactly it, so its timestamp only moves
    /// when it really changed (it is an input of incremental targets).
    /// </summary>
    /// <returns>True when the file was written.</returns>
    public static bool WriteAllTextIfChanged(string path, string content)
    {
        byte[] bytes = s_utf8.GetBytes(content);
        if (File.Exists(path))
        {
            var existing = new FileInfo(path);
            if (existing.Length == bytes.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                return false;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = TemporaryPathFor(path);
        try
        {
            File.WriteAllBytes(temporary, bytes);
            Commit(temporary, path);
        }
        finally
        {
            File.Delete(temporary);
        }

        return true;
    }

    /// <summary>
    /// Makes <paramref name="path"/> hold <paramref name="content"/> and be newer than the inputs of the target
    /// that wrote it: written when different, else only touched (so MSBuild sees the target as done).
    /// </summary>
    public static void Refresh(string path, string content)
    {
        if (!WriteAllTextIfChanged(path, content))
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
    }

    /// <summary>Deletes temporary files an earlier, interrupted write of <paramref name="path"/> left behind.</summary>
    public static void DeleteLeftovers(string path)
    {
        string? directory = Path.GetDirectoryName(path);
        if (directory is null || !Directory.Exists(directory))
        {
            return;
        }

        // Ours are files "<name>.<id>.tmp"; the engine stages a compression in a folder ".<name>.<id>.tmp".
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
