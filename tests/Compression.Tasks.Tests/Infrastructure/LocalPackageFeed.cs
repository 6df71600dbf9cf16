using System.Runtime.InteropServices;

namespace Compression.Tasks.Tests.Infrastructure;

/// <summary>
/// Packs Compression.Build once per test run into a folder feed; every package-mode test shares it.
/// Only the native ONNX Runtime of this machine's RID is packed (the other RIDs are the same files
/// in other folders and would only make the test slower).
/// </summary>
internal static class LocalPackageFeed
{
    public const string Version = "1.0.0";

    private static readonly Lazy<string> s_package = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), "cb-feed-" + Environment.ProcessId);

    /// <summary>The .nupkg, packed on first use.</summary>
    public static string Package => s_package.Value;

    private static string Pack()
    {
        System.IO.Directory.CreateDirectory(Directory);
        string rid = RuntimeInformation.RuntimeIdentifier;
        DotNetResult pack = DotNet.Run(
            Repository.Root,
            TimeSpan.FromMinutes(8),
            "pack",
            Path.Combine(Repository.Root, "src", "Compression.Build", "Compression.Build.csproj"),
            "-c", Repository.Configuration,
            "-o", Directory,
            "-nodeReuse:false",
            "-p:CompressionBuildPackRuntimes=" + rid);
        if (!pack.Succeeded)
        {
            throw new InvalidOperationException("dotnet pack failed: " + pack);
        }

        string package = Path.Combine(Directory, "Compression.Build." + Version + ".nupkg");
        if (!File.Exists(package))
        {
            throw new InvalidOperationException("dotnet pack did not produce " + package + ": " + pack);
        }

        return package;
    }

    /// <summary>Deletes the feed at the end of the test run.</summary>
    public static void Delete()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
