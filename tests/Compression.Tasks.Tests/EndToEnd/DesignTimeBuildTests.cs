using System.Text.Json;
using Compression.Tasks.Tests.Infrastructure;

namespace Compression.Tasks.Tests.EndToEnd;

/// <summary>Design-time builds (what the IDE runs on every edit) write the generator's manifest and never compress.</summary>
[TestClass]
public sealed class DesignTimeBuildTests
{
    [TestMethod]
    public void Design_time_build_writes_the_manifest_only()
    {
        const string Items = """
                <CompressedModel Include="models/silero_vad_v5.onnx" Quantize="Int8" />
                <CompressedModel Include="models/tiny.onnx" Quantize="Float16" Embed="true" ClassName="Tiny" Namespace="Models.Small" />
            """;
        using var project = new TestProject("DesignTime", IntegrationMode.Source, Items);
        project.AddRealModel("silero_vad_v5.onnx", "models/silero_vad_v5.onnx");
        project.AddFile("models/tiny.onnx", TinyModels.Mlp(8));

        DotNetResult build = DotNet.Run(
            project.ProjectDirectory,
            "msbuild", project.ProjectFile, "-restore", "-nodeReuse:false", "-t:Compile",
            "-p:DesignTimeBuild=true", "-p:SkipCompilerExecution=true", "-p:ProvideCommandLineArgs=true");

        Assert.IsTrue(build.Succeeded, build.ToString());
        string silero = Path.Combine(project.CompressionDirectory, "models", "silero_vad_v5.onnx");
        Assert.IsFalse(File.Exists(silero), "a design-time build must not compress");
        Assert.IsFalse(File.Exists(Path.Combine(project.CompressionDirectory, "models", "tiny.onnx")));

        using (JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(silero + ".manifest.json")))
        {
            JsonElement root = manifest.RootElement;
            Assert.AreEqual(1, root.GetProperty("schemaVersion").GetInt32());
            Assert.AreEqual("SileroVadV5", root.GetProperty("className").GetString());
            Assert.AreEqual("DesignTime", root.GetProperty("namespace").GetString());
            Assert.AreEqual("models/silero_vad_v5.onnx", root.GetProperty("source").GetString());
            Assert.AreEqual("models/silero_vad_v5.onnx", root.GetProperty("modelPath").GetString());
            Assert.AreEqual(JsonValueKind.Null, root.GetProperty("resourceName").ValueKind);
            JsonElement compression = root.GetProperty("compression");
            Assert.AreEqual("Int8", compression.GetProperty("quantize").GetString());
            Assert.AreEqual("Dynamic", compression.GetProperty("mode").GetString());
            Assert.AreEqual("None", compression.GetProperty("pruning").GetString());
            Assert.AreEqual(2327524, compression.GetProperty("originalBytes").GetInt64());
            Assert.AreEqual(JsonValueKind.Null, compression.GetProperty("compressedBytes").ValueKind);
            string[] inputs = [.. root.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];
            CollectionAssert.AreEqual(new[] { "input", "state", "sr" }, inputs);
            JsonElement sr = root.GetProperty("inputs")[2];
            Assert.AreEqual("int64", sr.GetProperty("elementType").GetString());
            Assert.AreEqual(0, sr.GetProperty("dims").GetArrayLength(), "sr is a scalar");
            JsonElement state = root.GetProperty("inputs")[1];
            Assert.AreEqual(128, state.GetProperty("dims")[2].GetProperty("value").GetInt64());
        }

        string tinyManifest = File.ReadAllText(Path.Combine(project.CompressionDirectory, "models", "tiny.onnx.manifest.json"));
        using (JsonDocument manifest = JsonDocument.Parse(tinyManifest))
        {
            JsonElement root = manifest.RootElement;
            Assert.AreEqual("Tiny", root.GetProperty("className").GetString());
            Assert.AreEqual("Models.Small", root.GetProperty("namespace").GetString());
            Assert.AreEqual(JsonValueKind.Null, root.GetProperty("modelPath").ValueKind);
            Assert.AreEqual("models/tiny.onnx", root.GetProperty("resourceName").GetString());
            Assert.AreEqual("batch", root.GetProperty("inputs")[0].GetProperty("dims")[0].GetProperty("param").GetString());
        }

        // The generator is told where the manifests are, with the metadata it filters on.
        Assert.Contains("CompressionBuildManifest", File.ReadAllText(Path.Combine(project.ProjectDirectory, "obj", "Debug", "net10.0", "DesignTime.GeneratedMSBuildEditorConfig.editorconfig")));
    }
}
