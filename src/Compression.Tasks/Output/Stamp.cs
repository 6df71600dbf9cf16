using System.Security.Cryptography;
using System.Text;

namespace Compression.Tasks.Output;

/// <summary>
/// A small file whose content is a hash of what it stands for (settings and tool version). It is an
/// input of an incremental target and only rewritten when the hash changes, so its timestamp says
/// "the settings changed since the last output was written".
/// </summary>
internal static class Stamp
{
    /// <summary>Writes the stamp for <paramref name="canonicalText"/> if it differs; returns true when written.</summary>
    public static bool Write(string path, string purpose, string canonicalText)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalText)));
        return AtomicFile.WriteAllTextIfChanged(path, "# Compression.Build: " + purpose + "\n" + hash + "\n");
    }
}
