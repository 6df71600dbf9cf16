using System.Reflection;

namespace Compression.Tasks.Tests.Infrastructure;

/// <summary>Where the repository and the freshly built task are, as recorded when this test assembly was built.</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepoRoot");

    public static string Configuration { get; } = Metadata("Configuration");

    public static string BuildFolder => Path.Combine(Root, "build");

    public static string ModelsFolder => Path.Combine(Root, "tests", "data", "models");

    /// <summary>The task assembly built with this test run: the one <c>CompressionBuildTasksAssembly</c> points source-mode projects at.</summary>
    public static string TasksAssembly => Path.Combine(Root, "src", "Compression.Tasks", "bin", Configuration, "net10.0", "Compression.Tasks.dll");

    public static string RealModel(string name) => Path.Combine(ModelsFolder, name);

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
