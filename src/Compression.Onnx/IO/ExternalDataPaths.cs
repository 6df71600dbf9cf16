namespace Compression.Onnx.IO;

/// <summary>
/// Resolves an external-data <c>location</c> to a file that is provably inside the model's folder.
/// The rules answer real CVEs of the onnx package (CVE-2022-25882, CVE-2024-27318,
/// CVE-2025-51480, CVE-2026-27489): no absolute path, no <c>..</c>, no symbolic link on the way,
/// no hard-linked data file.
/// </summary>
internal static class ExternalDataPaths
{
    private static readonly char[] Separators = ['/', '\\'];

    /// <summary>Checks the location text and returns the canonical full path; links are checked when the file is opened.</summary>
    public static string Resolve(string baseDirectory, string location, string? modelPath)
    {
        if (location.Length == 0 || location.Contains('\0', StringComparison.Ordinal))
        {
            throw ExternalDataErrors.Outside(modelPath, location, "it is empty or contains a NUL character");
        }

        if (Path.IsPathRooted(location) || location[0] is '/' or '\\' || location.Contains(':', StringComparison.Ordinal))
        {
            throw ExternalDataErrors.Outside(modelPath, location, "it is an absolute path");
        }

        string[] parts = location.Split(Separators);
        foreach (string part in parts)
        {
            if (part == "..")
            {
                throw ExternalDataErrors.Outside(modelPath, location, "it climbs out of the model's folder with '..'");
            }
        }

        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(baseDirectory));
        string full = Path.GetFullPath(Path.Combine(root, string.Join(Path.DirectorySeparatorChar, parts)));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            throw ExternalDataErrors.Outside(modelPath, location, "it does not resolve to a file inside the model's folder");
        }

        // Every component below the model's folder must be a real directory or file, not a link.
        string current = root;
        foreach (string part in parts)
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            current = Path.Combine(current, part);
            var info = new FileInfo(current);
            if (info.Exists || Directory.Exists(current))
            {
                if ((File.GetAttributes(current) & FileAttributes.ReparsePoint) != 0 || info.LinkTarget is not null)
                {
                    throw ExternalDataErrors.SymbolicLink(modelPath, location, current);
                }
            }
        }

        return full;
    }
}
