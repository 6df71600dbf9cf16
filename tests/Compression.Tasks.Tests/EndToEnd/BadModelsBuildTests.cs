using Compression.Tasks.Tests.Infrastructure;
using Google.Protobuf;
using Onnx;

namespace Compression.Tasks.Tests.EndToEnd;

/// <summary>
/// Bad models inside a real <c>dotnet build</c> (issue 19): each is its own coded error naming its file, the good
/// model next to them is still compressed, the build fails once at the end, and nothing crashes (no MSB4018).
/// </summary>
[TestClass]
public sealed class BadModelsBuildTests
{
    /// <summary>The MLP with its first weight claiming 2^31 x 2^31 floats over its few KB of data.</summary>
    private static byte[] HugeDims()
    {
        ModelProto model = ModelProto.Parser.ParseFrom(TinyModels.Mlp(16));
        TensorProto w = model.Graph.Initializer[0];
        w.Dims.Clear();
        w.Dims.AddRange([1L << 31, 1L << 31]);
        return model.ToByteArray();
    }

    [TestMethod]
    public void Every_bad_model_is_reported_in_one_build_and_the_good_one_is_compressed()
    {
        const string Items = """
                <CompressedModel Include="models/good.onnx" Quantize="Int8" />
                <CompressedModel Include="models/huge.onnx" Quantize="Int8" />
                <CompressedModel Include="models/pruned_huge.onnx" Pruning="Global" Sparsity="0.5" />
                <CompressedModel Include="models/garbage.onnx" Quantize="Int8" />
            """;
        using var project = new TestProject("BadModels", IntegrationMode.Source, Items);
        project.AddFile("models/good.onnx", TinyModels.Mlp(16));
        project.AddFile("models/huge.onnx", HugeDims());
        project.AddFile("models/pruned_huge.onnx", HugeDims());
        project.AddFile("models/garbage.onnx", System.Text.Encoding.ASCII.GetBytes("version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 4096\n"));

        DotNetResult build = project.Run("build");

        Assert.IsFalse(build.Succeeded, build.ToString());
        foreach ((string file, string code) in new[] { ("huge.onnx", "CMP1005"), ("pruned_huge.onnx", "CMP1005"), ("garbage.onnx", "CMP1002") })
        {
            string path = Path.Combine(project.ProjectDirectory, "models", file);
            Assert.Contains($"{path} : error {code}:", build.Output, build.ToString());
            Assert.IsFalse(File.Exists(Path.Combine(project.CompressionDirectory, "models", file)), file + " left no output");
        }

        Assert.Contains("error CMP2050: Compression.Build: 3 of 4 models could not be compressed", build.Output, build.ToString());
        Assert.IsTrue(File.Exists(Path.Combine(project.CompressionDirectory, "models", "good.onnx")), "the good model was compressed in the same build");
        Assert.DoesNotContain("MSB4018", build.Output, "no task crashed");
        Assert.DoesNotContain("CMP4602", build.Output, "Global pruning reports the real problem");
        Assert.DoesNotContain("   at ", build.Output, "no stack trace");
    }
}
