using System.Runtime.InteropServices;
using Compression.Build.Tool;
using Compression.Tasks.Tests.Infrastructure;

namespace Compression.Tool.Tests;

/// <summary>
/// The tool as a user gets it: packed (<c>dotnet pack</c>, this machine's RID package and the pointer package),
/// installed with <c>dotnet tool install</c> from a folder feed, and run as <c>compress-model</c>: it writes the bytes a
/// real <c>dotnet build</c> of a project with the same settings writes, and a garbage file is a coded error with no
/// output. One test: each step needs the previous one and each costs seconds.
/// </summary>
[TestClass]
public sealed class InstalledToolTests
{
    private const string Classifier = "ch_ppocr_mobile_v2.0_cls_infer.onnx";

    // Two items with different settings; every one is written the same way on the command line.
    private static readonly (string Include, string[] Metadata)[] Items =
    [
        ("models/cls.onnx", ["Quantize=Int8", "TargetOpset=13"]),
        ("models/cls4.onnx", ["Quantize=Int4", "BlockSize=64", "Mode=WeightOnly"]),
    ];

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public void Installed_tool_writes_the_bytes_dotnet_build_writes()
    {
        using var folder = new TempDirectory("cmp-tool-install");
        string feed = Path.Combine(folder.Path, "feed"), tools = Path.Combine(folder.Path, "tools");
        string rid = RuntimeInformation.RuntimeIdentifier;

        // 1. Pack: the pointer package and this RID's package, which carries only this platform's ONNX Runtime.
        DotNetResult pack = DotNet.Run(Repository.Root, TimeSpan.FromMinutes(8), "pack", Path.Combine(Repository.Root, "src", "Compression.Build.Tool", "Compression.Build.Tool.csproj"),
            "-c", Repository.Configuration, "-o", feed, "-nodeReuse:false", "-p:ToolPackageRuntimeIdentifiers=" + rid);
        Assert.IsTrue(pack.Succeeded, pack.ToString());
        string ridPackage = Path.Combine(feed, $"Compression.Build.Tool.{rid}.1.0.0.nupkg");
        Assert.IsTrue(File.Exists(Path.Combine(feed, "Compression.Build.Tool.1.0.0.nupkg")), pack.ToString());
        Assert.IsLessThan(20_000_000, new FileInfo(ridPackage).Length, "one platform's natives only");

        // 2. Install from the folder feed alone, as `dotnet tool install` does for a user.
        folder.File("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="local" value="{TestProject.Escape(feed)}" /></packageSources></configuration>
            """);
        DotNetResult install = DotNet.Run(folder.Path, "tool", "install", "--tool-path", tools, "--configfile", Path.Combine(folder.Path, "nuget.config"), "Compression.Build.Tool", "--version", "1.0.0");
        Assert.IsTrue(install.Succeeded, install.ToString());
        string tool = Path.Combine(tools, OperatingSystem.IsWindows() ? "compress-model.exe" : "compress-model");

        // 3. A real build of a project with the same settings.
        string items = string.Concat(Items.Select(i => $"    <CompressedModel Include=\"{i.Include}\" {string.Join(" ", i.Metadata.Select(m => m.Split('=')[0] + "=\"" + m.Split('=')[1] + "\""))} />\n"));
        using var project = new TestProject("Consumer", IntegrationMode.Source, items);
        foreach (var (include, _) in Items) project.AddRealModel(Classifier, include);
        DotNetResult build = project.Run("build");
        Assert.IsTrue(build.Succeeded, build.ToString());

        // 4. The installed tool, same settings as kebab-case options: the same bytes and the same line.
        foreach (var (include, metadata) in Items)
        {
            string output = Path.Combine(folder.Path, "out", Path.GetFileName(include));
            string[] options = [.. metadata.SelectMany(m => new[] { "--" + Kebab(m.Split('=')[0]), m.Split('=')[1] })];
            DotNetResult run = DotNet.RunProgram(tool, project.ProjectDirectory, TimeSpan.FromMinutes(2), ["compress", include, "-o", output, .. options]);
            Assert.IsTrue(run.Succeeded, run.ToString());
            string built = Path.Combine(project.CompressionDirectory, include);
            CollectionAssert.AreEqual(File.ReadAllBytes(built), File.ReadAllBytes(output), $"{include}: compress-model {string.Join(' ', options)} wrote other bytes than dotnet build");
            // stderr (merged here) may also hold progress lines when the run takes over a second.
            Assert.AreEqual(Summary(ResultLine(build.Output, include)), Summary(ResultLine(run.Output, include)), "the same one-line summary as the build");
        }

        // 5. A garbage file: a coded error and exit code 1, no stack trace, no output.
        string garbage = folder.File("garbage.onnx", "not a model at all\n");
        DotNetResult bad = DotNet.RunProgram(tool, folder.Path, TimeSpan.FromMinutes(1), "compress", garbage, "-o", Path.Combine(folder.Path, "garbage.out.onnx"), "--quantize", "Int8");
        Assert.AreEqual(ExitCodes.ModelError, bad.ExitCode, bad.ToString());
        StringAssert.Contains(bad.Output, garbage + ": error CMP1002: ");
        Assert.DoesNotContain("   at ", bad.Output, "no stack trace");
        Assert.IsFalse(File.Exists(Path.Combine(folder.Path, "garbage.out.onnx")));
        Assert.IsEmpty(Directory.GetFileSystemEntries(folder.Path, ".garbage*"), "no staging leftovers");
    }

    private static string ResultLine(string output, string include) =>
        output.Split('\n').Single(l => l.TrimStart().StartsWith(Path.GetFileName(include) + " -> ", StringComparison.Ordinal)).Trim();

    /// <summary>The line up to the timing (which differs run to run): what was applied, sizes and deviation.</summary>
    private static string Summary(string line) => line[..line.LastIndexOf(", ", StringComparison.Ordinal)];

    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
