using Compression.Generators.Model;
using Compression.Generators.Parsing;
using Compression.Tasks.Manifest;

namespace Compression.Generators.Tests;

/// <summary>The task's writer and the generator's parser agree on the manifest: every field written is read back as written.</summary>
[TestClass]
public sealed class ManifestContractTests
{
    [TestMethod]
    public void What_the_task_writes_the_generator_reads()
    {
        var manifest = new ModelManifest
        {
            ClassName = "SileroVadV5",
            Namespace = "Voice.App",
            Source = "models/silero_vad_v5.onnx",
            ModelPath = "models/vad.onnx",
            Compression = new ManifestCompression("UInt4", "WeightOnly", "Channel", 0.25, "UInt4 weight-only; Channel pruning 0.25", 2327524, 712345),
            Inputs =
            [
                new ManifestValue("input", "float", [new ManifestDim(null, "batch"), new ManifestDim(512, null)]),
                new ManifestValue("sr", "int64", []),
                new ManifestValue("state", "float", null),
            ],
            Outputs = [new ManifestValue("output", "float", [new ManifestDim(null, null)])],
        };

        ParseResult result = ManifestParser.Parse(new ManifestInput("/obj/vad.onnx.manifest.json", ManifestWriter.ToJson(manifest), "Fallback"), default);

        Assert.IsEmpty(result.Diagnostics, string.Join("; ", result.Diagnostics));
        ModelSpec spec = result.Model!;
        Assert.AreEqual("SileroVadV5", spec.ClassName);
        Assert.AreEqual("Voice.App", spec.Namespace);
        Assert.AreEqual("models/silero_vad_v5.onnx", spec.Source);
        Assert.AreEqual("models/vad.onnx", spec.ModelPath);
        Assert.IsNull(spec.ResourceName);
        Assert.AreEqual(new CompressionSpec("UInt4", "WeightOnly", "Channel", 0.25, "UInt4 weight-only; Channel pruning 0.25", 2327524, 712345), spec.Compression);
        CollectionAssert.AreEqual(new[] { "input", "sr", "state" }, spec.Inputs.Select(i => i.OnnxName).ToArray());
        Assert.AreEqual("batch", spec.Inputs[0].Dims[0].Param);
        Assert.AreEqual(512L, spec.Inputs[0].Dims[1].Value);
        Assert.IsTrue(spec.Inputs[1].IsScalar);
        Assert.IsFalse(spec.Inputs[2].HasRank);
        Assert.AreEqual(new DimSpec(null, null), spec.Outputs.Single().Dims.Single());
    }

    [TestMethod]
    public void Embedded_design_time_manifest_round_trips_with_unknown_compressed_size()
    {
        var manifest = new ModelManifest
        {
            ClassName = "Tiny",
            Namespace = "A.B",
            Source = "tiny.onnx",
            ResourceName = "assets/tiny.onnx",
            Compression = new ManifestCompression("None", "None", "None", 0, "none", 10, null),
            Inputs = [new ManifestValue("x", "float", [new ManifestDim(1, null)])],
            Outputs = [new ManifestValue("y", "float", [new ManifestDim(1, null)])],
        };

        ModelSpec spec = ManifestParser.Parse(new ManifestInput("/m.json", ManifestWriter.ToJson(manifest), "Fallback"), default).Model!;

        Assert.IsNull(spec.ModelPath);
        Assert.AreEqual("assets/tiny.onnx", spec.ResourceName);
        Assert.IsNull(spec.Compression.CompressedBytes);
        Assert.AreEqual(10L, spec.Compression.OriginalBytes);
    }
}
