using System.Security.Cryptography;

namespace Compression.Tasks.Tests.Infrastructure;

/// <summary>Snapshots of a folder's files (path -> SHA-256) to prove a build did not touch them.</summary>
internal static class FileHashes
{
    public static Dictionary<string, string> Of(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetRelativePath(directory, f), Hash, StringComparer.Ordinal);

    public static string Hash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    public static void AssertSame(Dictionary<string, string> before, Dictionary<string, string> after, string because)
    {
        CollectionAssert.AreEquivalent(before.Keys.ToArray(), after.Keys.ToArray(), because + ": no file added or removed");
        foreach ((string file, string hash) in before)
        {
            Assert.AreEqual(hash, after[file], because + ": " + file + " changed");
        }
    }
}
