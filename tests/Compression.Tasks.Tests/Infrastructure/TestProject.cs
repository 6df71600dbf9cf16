using System.Globalization;
using System.Security;
using System.Text;

namespace Compression.Tasks.Tests.Infrastructure;

/// <summary>How a temp project gets Compression.Build.</summary>
internal enum IntegrationMode
{
    /// <summary>Imports build/*.props/.targets from the repository and the freshly built task (fast, no restore of the package).</summary>
    Source,

    /// <summary>References the packed Compression.Build package from a local folder feed, like a user.</summary>
    Package,
}

/// <summary>A console project in a temp folder that declares CompressedModel items.</summary>
internal sealed class TestProject : IDisposable
{
    private readonly TempDirectory _directory;

    public TestProject(string name, IntegrationMode mode, string items, string extraProperties = "")
    {
        _directory = new TempDirectory("cb-e2e");
        Name = name;
        Mode = mode;
        Directory.CreateDirectory(ProjectDirectory);
        WriteProject(items, extraProperties);
        File.WriteAllText(Path.Combine(ProjectDirectory, "Program.cs"), "System.Console.WriteLine(\"ok\");\n");
    }

    public string Name { get; }

    public IntegrationMode Mode { get; }

    /// <summary>The temp root (may hold several projects and the package cache).</summary>
    public string Root => _directory.Path;

    public string ProjectDirectory => Path.Combine(Root, Name);

    public string ProjectFile => Path.Combine(ProjectDirectory, Name + ".csproj");

    public string OutputDirectory => Path.Combine(ProjectDirectory, "bin", "Debug", "net10.0");

    public string CompressionDirectory => Path.Combine(ProjectDirectory, "obj", "Debug", "net10.0", "compression");

    /// <summary>Copies a real model from tests/data/models into the project.</summary>
    public string AddRealModel(string name, string relativePath)
    {
        string target = Path.Combine(ProjectDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Repository.RealModel(name), target, overwrite: true);
        return target;
    }

    public string AddFile(string relativePath, byte[] content)
    {
        string target = Path.Combine(ProjectDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target, content);
        return target;
    }

    public void WriteProject(string items, string extraProperties = "")
    {
        var project = new StringBuilder();
        project.AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\">");
        if (Mode == IntegrationMode.Source)
        {
            project.AppendLine(CultureInfo.InvariantCulture, $"  <Import Project=\"{Escape(Path.Combine(Repository.BuildFolder, "Compression.Build.props"))}\" />");
        }

        project.AppendLine("  <PropertyGroup>");
        project.AppendLine("    <OutputType>Exe</OutputType>");
        project.AppendLine("    <TargetFramework>net10.0</TargetFramework>");
        project.AppendLine("    <Nullable>enable</Nullable>");
        project.AppendLine("    <ImplicitUsings>enable</ImplicitUsings>");
        project.AppendLine("    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>");
        if (Mode == IntegrationMode.Source)
        {
            project.AppendLine(CultureInfo.InvariantCulture, $"    <CompressionBuildTasksAssembly>{Escape(Repository.TasksAssembly)}</CompressionBuildTasksAssembly>");
        }
        else
        {
            // A private package folder: the package under test never lands in (or comes from) the user's cache.
            project.AppendLine(CultureInfo.InvariantCulture, $"    <RestorePackagesPath>{Escape(Path.Combine(Root, "packages"))}</RestorePackagesPath>");
            project.AppendLine(CultureInfo.InvariantCulture, $"    <RestoreAdditionalProjectFallbackFolders>{Escape(GlobalPackagesFolder)}</RestoreAdditionalProjectFallbackFolders>");
        }

        project.Append(extraProperties);
        project.AppendLine("  </PropertyGroup>");
        if (Mode == IntegrationMode.Package)
        {
            project.AppendLine(CultureInfo.InvariantCulture, $"  <ItemGroup><PackageReference Include=\"Compression.Build\" Version=\"{LocalPackageFeed.Version}\" /></ItemGroup>");
        }

        project.AppendLine("  <ItemGroup>");
        project.Append(items);
        project.AppendLine("  </ItemGroup>");
        if (Mode == IntegrationMode.Source)
        {
            project.AppendLine(CultureInfo.InvariantCulture, $"  <Import Project=\"{Escape(Path.Combine(Repository.BuildFolder, "Compression.Build.targets"))}\" />");
        }

        project.AppendLine("</Project>");
        File.WriteAllText(ProjectFile, project.ToString());
        if (Mode == IntegrationMode.Package)
        {
            // Only the local feed: Compression.Build can come from nowhere else (a public package of the same
            // id and version must never win), and its dependencies come from the fallback folder, offline.
            File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{Escape(LocalPackageFeed.Directory)}" />
                  </packageSources>
                </configuration>
                """);
        }
    }

    /// <summary><c>dotnet &lt;verb&gt;</c> on this project, without build servers, with detailed verbosity (target skip messages).</summary>
    public DotNetResult Run(string verb, params string[] arguments) =>
        DotNet.Run(ProjectDirectory, [verb, ProjectFile, "-nodeReuse:false", "-v:detailed", .. arguments]);

    public static string GlobalPackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    public static string Escape(string path) => SecurityElement.Escape(path);

    public void Dispose() => _directory.Dispose();
}
