using Compression.Tasks.Tests.Infrastructure;

namespace Compression.Tasks.Tests.EndToEnd;

/// <summary>The opt-in out-of-process mode gives the same result as the default in-proc one.</summary>
[TestClass]
public sealed class TaskHostTests
{
    [TestMethod]
    public void Task_host_mode_compresses_like_in_proc()
    {
        using var project = new TestProject("TaskHost", IntegrationMode.Source, """
                <CompressedModel Include="mlp.onnx" Quantize="Int8" GenerateWrapper="false" />
            """);
        project.AddFile("mlp.onnx", TinyModels.Mlp(64));

        DotNetResult inProc = project.Run("build");
        Assert.IsTrue(inProc.Succeeded, inProc.ToString());
        string output = Path.Combine(project.OutputDirectory, "mlp.onnx");
        string inProcHash = FileHashes.Hash(output);
        Directory.Delete(project.CompressionDirectory, recursive: true);
        File.Delete(output);

        DotNetResult taskHost = project.Run("build", "-p:CompressionBuildUseTaskHost=true");

        Assert.IsTrue(taskHost.Succeeded, taskHost.ToString());
        Assert.Contains("Launching task \"CompressModel\" from assembly", taskHost.Output, "the compression ran in an external task host");
        Assert.DoesNotContain("in an external task host", inProc.Output, "the default runs in the MSBuild node");
        Assert.Contains("mlp.onnx -> ", taskHost.Output);
        Assert.AreEqual(inProcHash, FileHashes.Hash(output), "same bytes either way");
    }
}
