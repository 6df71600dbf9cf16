using Compression.Tasks.Metadata;

namespace Compression.Tasks.Tests.Metadata;

/// <summary>What the sanity check hands to the rest of the build: resolved names, paths and settings stamps.</summary>
[TestClass]
public sealed class PreparedModelTests
{
    private const string Model = "models/silero_vad_v5.onnx";

    [TestMethod]
    public void Defaults_follow_the_design_table()
    {
        using var harness = new SanityCheckHarness();
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model)), harness.Engine.Describe());
        var item = harness.Prepared.Single();
        Assert.AreEqual(Model, item.ItemSpec);
        Assert.AreEqual("models/silero_vad_v5.onnx", item.GetMetadata("TargetPath"));
        Assert.AreEqual("SileroVadV5", item.GetMetadata("ClassName"));
        Assert.AreEqual("MyApp", item.GetMetadata("Namespace"));
        Assert.AreEqual("false", item.GetMetadata("Embed"));
        Assert.AreEqual("true", item.GetMetadata("GenerateWrapper"));
        Assert.AreEqual("models/silero_vad_v5.onnx", item.GetMetadata("ModelPath"));
        Assert.AreEqual(string.Empty, item.GetMetadata("ResourceName"));
        string compressed = Path.Combine(harness.Project.Path, "obj", "compression", "models", "silero_vad_v5.onnx");
        Assert.AreEqual(compressed, item.GetMetadata("CompressedPath"));
        Assert.AreEqual(compressed + ".manifest.json", item.GetMetadata("ManifestPath"));
        Assert.AreEqual(Path.Combine(harness.Project.Path, "models", "silero_vad_v5.onnx"), item.GetMetadata("SourcePath"));
    }

    [TestMethod]
    public void Embedded_model_has_a_resource_name_and_no_app_path()
    {
        using var harness = new SanityCheckHarness();
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("Embed", "true"))), harness.Engine.Describe());
        Assert.AreEqual(string.Empty, harness.Prepared[0].GetMetadata("ModelPath"));
        Assert.AreEqual("models/silero_vad_v5.onnx", harness.Prepared[0].GetMetadata("ResourceName"));
    }

    [TestMethod]
    public void Ort_format_lands_as_dot_ort()
    {
        using var harness = new SanityCheckHarness();
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("Format", "Ort"))), harness.Engine.Describe());
        Assert.AreEqual("models/silero_vad_v5.ort", harness.Prepared[0].GetMetadata("TargetPath"));
    }

    [TestMethod]
    public void Ort_format_ends_an_explicit_target_path_in_dot_ort()
    {
        using var harness = new SanityCheckHarness();
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("Format", "Ort"), ("TargetPath", "assets/vad.onnx"))), harness.Engine.Describe());
        Assert.AreEqual("assets/vad.ort", harness.Prepared[0].GetMetadata("TargetPath"));
        StringAssert.EndsWith(harness.Prepared[0].GetMetadata("CompressedPath"), Path.Combine("assets", "vad.ort"));
    }

    [TestMethod]
    public void Model_outside_the_project_lands_at_its_file_name()
    {
        using var harness = new SanityCheckHarness();
        string outside = Path.Combine(Path.GetDirectoryName(harness.Project.Path)!, Path.GetFileName(harness.Project.Path) + "-shared.onnx");
        File.WriteAllText(outside, "x");
        try
        {
            Assert.IsTrue(harness.Run(SanityCheckHarness.Item("../" + Path.GetFileName(outside))), harness.Engine.Describe());
            Assert.AreEqual(Path.GetFileName(outside), harness.Prepared[0].GetMetadata("TargetPath"));
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [TestMethod]
    public void Explicit_target_path_is_normalised()
    {
        using var harness = new SanityCheckHarness();
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("TargetPath", "./assets\\vad.onnx"))), harness.Engine.Describe());
        Assert.AreEqual("assets/vad.onnx", harness.Prepared[0].GetMetadata("TargetPath"));
    }

    [TestMethod]
    public void File_writes_cover_every_file_of_every_model()
    {
        using var harness = new SanityCheckHarness();
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model), SanityCheckHarness.Item("models/other.onnx")));
        string[] writes = harness.FileWrites.Select(w => w.ItemSpec).ToArray();
        Assert.HasCount(10, writes);
        foreach (string suffix in new[] { string.Empty, ".manifest.json", ".report.json", ".compress.stamp", ".manifest.stamp" })
        {
            Assert.Contains(Path.Combine(harness.Project.Path, "obj", "compression", "models", "other.onnx") + suffix, writes);
        }
    }

    [TestMethod]
    public void Calibration_files_are_inputs_of_the_compression()
    {
        using var harness = new SanityCheckHarness();
        harness.Project.File("calibration/test_data_set_1/input_0.pb", "y");
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("Quantize", "Int8"), ("Mode", "Static"), ("CalibrationData", "calibration"))));
        string[] inputs = harness.Prepared[0].GetMetadata("InputFiles").Split(';');
        CollectionAssert.AreEqual(
            new[]
            {
                Path.Combine(harness.Project.Path, "calibration", "test_data_set_0", "input_0.pb"),
                Path.Combine(harness.Project.Path, "calibration", "test_data_set_1", "input_0.pb"),
            },
            inputs);
    }

    [TestMethod]
    public void WeightRange_defaults_to_portable_and_Full_is_another_compression()
    {
        using var harness = new SanityCheckHarness();
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("Quantize", "Int8"))), harness.Engine.Describe());
        string stamp = harness.Prepared[0].GetMetadata("CompressStamp");
        string portable = File.ReadAllText(stamp);
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("Quantize", "Int8"), ("WeightRange", "portable"))), harness.Engine.Describe());
        Assert.AreEqual(portable, File.ReadAllText(stamp), "the default spelled out is the same settings");
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("Quantize", "Int8"), ("WeightRange", "Full"))), harness.Engine.Describe());
        Assert.AreNotEqual(portable, File.ReadAllText(stamp), "Full writes other bytes, so it compresses again");
    }

    [TestMethod]
    public void WeightRange_reaches_the_engine()
    {
        // The engine's settings are the resolved ones the sanity check writes into the compression stamp.
        using var harness = new SanityCheckHarness();
        Compression.Onnx.WeightRange Resolved(params (string Name, string Value)[] metadata)
        {
            Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, metadata)), harness.Engine.Describe());
            string stamp = harness.Prepared[0].GetMetadata("CompressStamp");
            return Compression.Onnx.Settings.SettingsText.Read(Compression.Tasks.Output.Stamp.ReadBody(stamp)).WeightRange;
        }

        Assert.AreEqual(Compression.Onnx.WeightRange.Full, Resolved(("Quantize", "Int8"), ("WeightRange", "Full")));
        Assert.AreEqual(Compression.Onnx.WeightRange.Portable, Resolved(("Quantize", "Int8"), ("WeightRange", "Portable")));
        Assert.AreEqual(Compression.Onnx.WeightRange.Portable, Resolved(("Quantize", "Int8")));
    }

    [TestMethod]
    public void Stamps_are_rewritten_only_when_their_content_changes()
    {
        using var harness = new SanityCheckHarness();
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("Quantize", "Int8"))));
        string compressStamp = harness.Prepared[0].GetMetadata("CompressStamp");
        string manifestStamp = harness.Prepared[0].GetMetadata("ManifestStamp");
        var past = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(compressStamp, past);
        File.SetLastWriteTimeUtc(manifestStamp, past);

        // Same settings, spelled differently: nothing moves.
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("Quantize", "int8"), ("Mode", "dynamic"))));
        Assert.AreEqual(past, File.GetLastWriteTimeUtc(compressStamp));
        Assert.AreEqual(past, File.GetLastWriteTimeUtc(manifestStamp));

        // A compression setting: only the compression stamp.
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("Quantize", "Int8"), ("PerChannel", "false"))));
        Assert.AreNotEqual(past, File.GetLastWriteTimeUtc(compressStamp));
        Assert.AreEqual(past, File.GetLastWriteTimeUtc(manifestStamp));

        // A name: only the manifest stamp.
        File.SetLastWriteTimeUtc(compressStamp, past);
        Assert.IsTrue(harness.Run(SanityCheckHarness.Item(Model, ("Quantize", "Int8"), ("PerChannel", "false"), ("ClassName", "Vad"))));
        Assert.AreEqual(past, File.GetLastWriteTimeUtc(compressStamp));
        Assert.AreNotEqual(past, File.GetLastWriteTimeUtc(manifestStamp));
    }

    [TestMethod]
    [DataRow("silero_vad_v5.onnx", "SileroVadV5")]
    [DataRow("models/ch_ppocr_mobile_v2.0_cls_infer.onnx", "ChPpocrMobileV20ClsInfer")]
    [DataRow("3d-net.onnx", "Model3dNet")]
    [DataRow("resnet50.onnx", "Resnet50")]
    [DataRow("ümlaut model.onnx", "ÜmlautModel")]
    [DataRow("___.onnx", "Model")]
    public void Class_name_is_the_file_stem_in_PascalCase(string file, string expected)
    {
        Assert.AreEqual(expected, CSharpNames.ClassNameFromFile(file));
        Assert.IsTrue(CSharpNames.IsIdentifier(expected));
    }
}
