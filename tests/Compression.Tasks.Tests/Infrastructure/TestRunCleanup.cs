namespace Compression.Tasks.Tests.Infrastructure;

/// <summary>Deletes what several test classes share once the whole run is over (a class cleanup would pull the package feed from under a later class).</summary>
[TestClass]
public sealed class TestRunCleanup
{
    [AssemblyCleanup]
    public static void DeletePackageFeed() => LocalPackageFeed.Delete();
}
