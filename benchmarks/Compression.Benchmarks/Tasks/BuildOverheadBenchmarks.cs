using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Compression.Benchmarks.Tasks;

/// <summary>
/// What Compression.Build adds to a build, measured on real <c>dotnet build</c> runs of two console
/// projects that differ only in three <c>CompressedModel</c> items (the two real models and a 1 MB MLP):
/// the no-op incremental build (nothing changed; target "_CompressionBuildCompress" skipped) and the first
/// build after deleting bin/ and obj/Debug (compression included; subtract the engine's own time, printed
/// on each model's build line, to get the fixed overhead).
/// Run: dotnet run -c Release --project benchmarks/Compression.Benchmarks -- --filter '*BuildOverhead*'
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 10)]
public class BuildOverheadBenchmarks
{
    private string _root = string.Empty;
    private string _withModels = string.Empty;
    private string _withoutModels = string.Empty;
    private string _oneModel = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        string repository = FindRepository();
        Run(repository, "build", Path.Combine(repository, "src", "Compression.Tasks", "Compression.Tasks.csproj"), "-c", "Release");
        string tasks = Path.Combine(repository, "src", "Compression.Tasks", "bin", "Release", "net10.0", "Compression.Tasks.dll");

        _root = Path.Combine(Path.GetTempPath(), "cb-bench-" + Guid.NewGuid().ToString("N")[..8]);
        string models = Path.Combine(repository, "tests", "data", "models");
        string mlp = Path.Combine(_root, "mlp.onnx");
        Directory.CreateDirectory(_root);
        File.WriteAllBytes(mlp, OnnxMlp.Create(384));
        _withoutModels = CreateProject(repository, tasks, "NoModels", string.Empty);
        _withModels = CreateProject(repository, tasks, "ThreeModels", $"""
                <CompressedModel Include="{Path.Combine(models, "silero_vad_v5.onnx")}" Quantize="Int8" />
                <CompressedModel Include="{Path.Combine(models, "ch_ppocr_mobile_v2.0_cls_infer.onnx")}" Quantize="Int8" />
                <CompressedModel Include="{mlp}" Quantize="Int8" />
            """);
        _oneModel = CreateProject(repository, tasks, "OneModel", $"""
                <CompressedModel Include="{mlp}" Quantize="Int8" />
            """);
        foreach (string project in new[] { _withoutModels, _withModels, _oneModel })
        {
            Run(Path.GetDirectoryName(project)!, "build", project, "-nodeReuse:false");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Baseline = true)]
    public void NoOpBuild_NoModels() => Build(_withoutModels);

    [Benchmark]
    public void NoOpBuild_ThreeModels() => Build(_withModels);

    [IterationSetup(Targets = [nameof(FirstBuild_NoModels), nameof(FirstBuild_OneModel)])]
    public void DeleteOutputs()
    {
        foreach (string project in new[] { _withoutModels, _oneModel })
        {
            string directory = Path.GetDirectoryName(project)!;
            DeleteIfExists(Path.Combine(directory, "bin"));
            DeleteIfExists(Path.Combine(directory, "obj", "Debug"));
        }
    }

    [Benchmark]
    public void FirstBuild_NoModels() => Build(_withoutModels);

    [Benchmark]
    public void FirstBuild_OneModel() => Build(_oneModel);

    private static void Build(string project) => Run(Path.GetDirectoryName(project)!, "build", project, "--no-restore", "-nodeReuse:false");

    private string CreateProject(string repository, string tasks, string name, string items)
    {
        string directory = Path.Combine(_root, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), "System.Console.WriteLine(\"ok\");\n");
        string project = Path.Combine(directory, name + ".csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{Path.Combine(repository, "build", "Compression.Build.props")}" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <CompressionBuildTasksAssembly>{tasks}</CompressionBuildTasksAssembly>
              </PropertyGroup>
              <ItemGroup>
            {items}
              </ItemGroup>
              <Import Project="{Path.Combine(repository, "build", "Compression.Build.targets")}" />
            </Project>
            """);
        return project;
    }

    private static void DeleteIfExists(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Compression.Build.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }

    private static void Run(string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using Process process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed:\n{output}");
        }
    }
}
