using Compression.Onnx.IO;
using System.Security.Cryptography;
using System.Text;

namespace Compression.Tasks.Output;

/// <summary>
/// A small file holding a hash of what it stands for (settings and tool version) and, optionally, a body (the
/// resolved settings). It is an input of an incremental target and only rewritten when its content changes, so
/// its timestamp says "the settings changed since the last output was written".
/// </summary>
internal static class Stamp
{
    /// <summary>Writes the stamp for <paramref name="hashedText"/> with <paramref name="body"/> if it differs; returns true when written.</summary>
    /// <param name="path">The stamp file.</param>
    /// <param name="purpose">A comment saying what it stands for.</param>
    /// <param name="hashedText">What the stamp changes with (only its hash is stored).</param>
    /// <param name="body">Text kept verbatim after the hash, read back by <see cref="ReadBody"/>.</param>
    public static bool Write(string path, string purpose, string hashedText, string body = "")
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashedText)));
        return AtomicFile.WriteAllTextIfChanged(path, "# Compression.Build: " + purpose + "\n" + hash + "\n" + body);
    }

    /// <summary>The body written by <see cref="Write"/>.</summary>
    /// <exception cref="IOException">The stamp is missing or was cut short.</exception>
    public static string ReadBody(string path)
    {
        string text = File.ReadAllText(path, Encoding.UTF8);
        int comment = text.IndexOf('\n', StringComparison.Ordinal);
        int hash = comment < 0 ? -1 : text.IndexOf('\n', comment + 1);
        if (hash < 0)
        {
            throw new IOException("the stamp '" + path + "' is incomplete; build again to rewrite it");
        }

        return text[(hash + 1)..];
    }
}
