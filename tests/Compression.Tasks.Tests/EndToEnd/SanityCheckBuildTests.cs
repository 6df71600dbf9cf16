using Compression.Tasks.Tests.Infrastructure;

namespace Compression.Tasks.Tests.EndToEnd;

/// <summary>The sanity check inside a real <c>dotnet build</c>: every bad item of a project reported in one build, with code and file.</summary>
[TestClass]
public sealed class SanityCheckBuildTests
{
    [TestMethod]
    public void Bad_metadata_fails_the_build_with_each_code_and_the_project_file()
    {
        const string Items = """
                <CompressedModel Include="models/a.onnx" Quantize="Int9" />
                <CompressedModel Include="models/b.onnx" Quantise="Int8" />
                <CompressedModel Include="models/missing.onnx" />
                <CompressedModel Include="models/c.onnx" Quantize="Int4" Mode="Dynamic" />
                <CompressedModel Include="models/d.onnx" Quantize="Int8" Mode="Static" />
                <CompressedModel Include="models/e.onnx" Sparsity="1.5" />
                <CompressedModel Include="models/f.onnx" ClassName="class" />
            """;
        using var project = new TestProject("BadItems", IntegrationMode.Source, Items);
        foreach (string name in new[] { "a", "b", "c", "d", "e", "f" })
        {
            project.AddFile($"models/{name}.onnx", TinyModels.Mlp(16));
        }

        DotNetResult build = project.Run("build");

        Assert.IsFalse(build.Succeeded, build.ToString());
        foreach ((string code, string item) in new[]
        {
            ("CMP2001", "models/a.onnx"), ("CMP2002", "models/b.onnx"), ("CMP2003", "models/missing.onnx"),
            ("CMP2004", "models/c.onnx"), ("CMP2005", "models/d.onnx"), ("CMP2006", "models/e.onnx"), ("CMP2007", "models/f.onnx"),
        })
        {
            Assert.Contains($"{project.ProjectFile} : error {code}: CompressedModel '{item}'", build.Output, build.ToString());
        }

        Assert.DoesNotContain("MSB4018", build.Output, "no task crashed");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.CompressionDirectory, "models")), "nothing compressed after a failed sanity check");
    }
}
