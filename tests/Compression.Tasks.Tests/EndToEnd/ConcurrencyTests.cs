using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Compression.Tasks.Tests.Infrastructure;

namespace Compression.Tasks.Tests.EndToEnd;

/// <summary>Builds that overlap or die half way: nothing shared is written, nothing truncated survives.</summary>
[TestClass]
public sealed partial class ConcurrencyTests
{
    [TestMethod]
    public void Two_projects_compress_one_model_in_a_parallel_build()
    {
        using var root = new TempDirectory("cb-parallel");
        File.WriteAllBytes(Path.Combine(root.Path, "shared.onnx"), TinyModels.Mlp(256));
        string sourceHash = FileHashes.Hash(Path.Combine(root.Path, "shared.onnx"));
        foreach (string name in new[] { "A", "B" })
        {
            Directory.CreateDirectory(Path.Combine(root.Path, name));
            File.WriteAllText(Path.Combine(root.Path, name, "Program.cs"), "System.Console.WriteLine(\"ok\");\n");
            File.WriteAllText(Path.Combine(root.Path, name, name + ".csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <Import Project="{TestProject.Escape(Path.Combine(Repository.BuildFolder, "Compression.Build.props"))}" />
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <CompressionBuildTasksAssembly>{TestProject.Escape(Repository.TasksAssembly)}</CompressionBuildTasksAssembly>
                  </PropertyGroup>
                  <ItemGroup>
                    <CompressedModel Include="../shared.onnx" Quantize="Int8" GenerateWrapper="false" />
                  </ItemGroup>
                  <Import Project="{TestProject.Escape(Path.Combine(Repository.BuildFolder, "Compression.Build.targets"))}" />
                </Project>
                """);
        }

        File.WriteAllText(Path.Combine(root.Path, "all.slnx"), """
            <Solution>
              <Project Path="A/A.csproj" />
              <Project Path="B/B.csproj" />
            </Solution>
            """);

        DotNetResult build = DotNet.Run(root.Path, "build", "all.slnx", "-m:2", "-nodeReuse:false");

        Assert.IsTrue(build.Succeeded, build.ToString());
        string a = Path.Combine(root.Path, "A", "bin", "Debug", "net10.0", "shared.onnx");
        string b = Path.Combine(root.Path, "B", "bin", "Debug", "net10.0", "shared.onnx");
        Assert.IsTrue(File.Exists(a) && File.Exists(b), build.ToString());
        Assert.AreEqual(FileHashes.Hash(a), FileHashes.Hash(b), "same model, same settings: byte-identical output");
        Assert.AreEqual(sourceHash, FileHashes.Hash(Path.Combine(root.Path, "shared.onnx")), "the shared source is only read");
        Assert.AreEqual(1, Directory.GetFiles(root.Path).Count(f => f.EndsWith(".onnx", StringComparison.Ordinal)), "nothing written beside the source");
    }

    [TestMethod]
    public void A_build_killed_while_compressing_leaves_no_truncated_model_and_the_next_build_recovers()
    {
        using var project = new TestProject("Killed", IntegrationMode.Source, """
                <CompressedModel Include="models/big.onnx" Quantize="Int8" GenerateWrapper="false" />
            """);
        project.AddFile("models/big.onnx", TinyModels.Mlp(2048));
        string output = Path.Combine(project.CompressionDirectory, "models", "big.onnx");
        string folder = Path.GetDirectoryName(output)!;

        DotNetResult restore = DotNet.Run(project.ProjectDirectory, "restore", project.ProjectFile);
        Assert.IsTrue(restore.Succeeded, restore.ToString());
        using Process build = DotNet.Start(project.ProjectDirectory, ["build", project.ProjectFile, "--no-restore", "-nodeReuse:false"], out StringBuilder log);
        bool killedWhileWriting = false;
        var clock = Stopwatch.StartNew();
        while (!build.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            // The model's temporary output (not a stamp's): the engine's staging folder ".big.onnx.<id>.tmp".
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder, "*.tmp").Select(Path.GetFileName).Any(IsModelTemporary))
            {
                build.Kill(entireProcessTree: true);
                killedWhileWriting = true;
                break;
            }

            Thread.Sleep(2);
        }

        build.WaitForExit();
        Assert.IsTrue(killedWhileWriting, "the build finished before a temporary file was seen; make the model bigger:\n" + log);

        // Either no model at all, or a whole one: never a truncated file at the output path.
        if (File.Exists(output))
        {
            using var model = Compression.Onnx.IO.OnnxModel.Load(output);
            Assert.IsNotNull(model.Proto.Graph);
        }

        DotNetResult next = project.Run("build");
        Assert.IsTrue(next.Succeeded, next.ToString());
        Assert.IsTrue(File.Exists(Path.Combine(project.OutputDirectory, "models", "big.onnx")), next.ToString());
        Assert.IsFalse(Directory.EnumerateFileSystemEntries(folder, "*.tmp").Any(), "the next build removed the leftovers");
    }

    private static bool IsModelTemporary(string? name) =>
        name is not null && (name.StartsWith(".big.onnx.", StringComparison.Ordinal) || ModelTemporary().IsMatch(name));

    [GeneratedRegex(@"^big\.onnx\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex ModelTemporary();
}
