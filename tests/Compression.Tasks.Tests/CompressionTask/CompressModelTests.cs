using Compression.Tasks.Tests.Infrastructure;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Compression.Tasks.Tests.CompressionTask;

/// <summary>The compression task hosted directly (no dotnet build): what it writes, logs and leaves behind.</summary>
[TestClass]
public sealed class CompressModelTests
{
    [TestMethod]
    public void Compresses_writes_manifest_and_report_and_logs_one_line()
    {
        using var project = new TempDirectory("cb-compress");
        string source = project.File("models/mlp.onnx");
        File.WriteAllBytes(source, TinyModels.Mlp(64));
        string sourceHash = FileHashes.Hash(source);

        (bool ok, RecordingBuildEngine engine, ITaskItem item) = Compress(project.Path, new TaskItem("models/mlp.onnx", new Dictionary<string, string> { ["Quantize"] = "Int8" }));

        Assert.IsTrue(ok, engine.Describe());
        string compressed = item.GetMetadata("CompressedPath");
        Assert.IsLessThan(new FileInfo(source).Length, new FileInfo(compressed).Length);
        Assert.IsTrue(File.Exists(item.GetMetadata("ManifestPath")));
        Assert.IsTrue(File.Exists(item.GetMetadata("ReportPath")));
        Assert.AreEqual(sourceHash, FileHashes.Hash(source), "the source is only read");
        Assert.HasCount(1, Directory.GetFiles(Path.GetDirectoryName(source)!), "nothing written beside the source");

        BuildMessageEventArgs line = engine.Messages.Single(m => m.Message!.StartsWith("mlp.onnx -> ", StringComparison.Ordinal));
        Assert.AreEqual(MessageImportance.High, line.Importance);
        StringAssert.Contains(line.Message, "MB -> ");
        StringAssert.Contains(line.Message, "max |d|", "validated in ONNX Runtime by default");
        StringAssert.Contains(File.ReadAllText(item.GetMetadata("ManifestPath")), "\"compressedBytes\": " + new FileInfo(compressed).Length);
    }

    [TestMethod]
    public void Same_input_gives_byte_identical_output()
    {
        using var project = new TempDirectory("cb-determinism");
        File.WriteAllBytes(project.File("m.onnx"), TinyModels.Mlp(48));
        var metadata = new Dictionary<string, string> { ["Quantize"] = "UInt8", ["Validate"] = "false" };
        (bool first, _, ITaskItem item) = Compress(project.Path, new TaskItem("m.onnx", metadata));
        string firstHash = FileHashes.Hash(item.GetMetadata("CompressedPath"));
        (bool second, _, _) = Compress(project.Path, new TaskItem("m.onnx", metadata));
        Assert.IsTrue(first && second);
        Assert.AreEqual(firstHash, FileHashes.Hash(item.GetMetadata("CompressedPath")));
    }

    [TestMethod]
    public void Not_an_onnx_model_is_the_engines_CMP1xxx_error_on_the_model_file()
    {
        using var project = new TempDirectory("cb-bad");
        string source = project.File("bad.onnx", "this is not protobuf \u0001\u0002\u0003");

        (bool ok, RecordingBuildEngine engine, ITaskItem item) = Compress(project.Path, new TaskItem("bad.onnx", new Dictionary<string, string> { ["Quantize"] = "Int8" }));

        Assert.IsFalse(ok);
        BuildErrorEventArgs error = engine.Errors.Single();
        StringAssert.StartsWith(error.Code, "CMP1");
        Assert.AreEqual(source, error.File);
        Assert.IsFalse(File.Exists(item.GetMetadata("CompressedPath")));
    }

    [TestMethod]
    public void A_setting_without_a_pass_is_a_coded_error_never_a_silent_no_op()
    {
        using var project = new TempDirectory("cb-unsupported");
        File.WriteAllBytes(project.File("m.onnx"), TinyModels.Mlp(32));

        // Offline graph optimisation has no engine pass yet (update this when one lands).
        (bool ok, RecordingBuildEngine engine, ITaskItem item) = Compress(project.Path, new TaskItem("m.onnx", new Dictionary<string, string> { ["Optimize"] = "Extended" }));

        Assert.IsFalse(ok, "Optimize is not implemented by the engine yet");
        Assert.AreEqual("CMP4001", engine.Errors.Single().Code, engine.Describe());
        StringAssert.Contains(engine.Errors[0].Message, "Optimize=Extended");
        Assert.IsFalse(File.Exists(item.GetMetadata("CompressedPath")));
    }

    [TestMethod]
    public void A_failure_removes_the_previous_output_so_the_next_build_cannot_skip_it()
    {
        using var project = new TempDirectory("cb-stale");
        File.WriteAllBytes(project.File("m.onnx"), TinyModels.Mlp(32));
        (bool ok, _, ITaskItem item) = Compress(project.Path, new TaskItem("m.onnx", new Dictionary<string, string> { ["Quantize"] = "Int8" }));
        Assert.IsTrue(ok);
        Assert.IsTrue(File.Exists(item.GetMetadata("CompressedPath")));

        (bool failed, RecordingBuildEngine engine, _) = Compress(project.Path, new TaskItem("m.onnx", new Dictionary<string, string> { ["Quantize"] = "Int8", ["Optimize"] = "Basic" }));

        Assert.IsFalse(failed, engine.Describe());
        Assert.IsFalse(File.Exists(item.GetMetadata("CompressedPath")), "the old compression must not survive");
        Assert.IsFalse(File.Exists(item.GetMetadata("ReportPath")));
    }

    [TestMethod]
    public void Leftovers_of_a_killed_build_are_deleted_before_compressing()
    {
        using var project = new TempDirectory("cb-leftovers");
        File.WriteAllBytes(project.File("m.onnx"), TinyModels.Mlp(32));
        string folder = Path.Combine(project.Path, "obj", "compression");
        Directory.CreateDirectory(Path.Combine(folder, ".m.onnx.1234abcd.tmp"));
        File.WriteAllText(Path.Combine(folder, ".m.onnx.1234abcd.tmp", "m.onnx"), "half a model");
        File.WriteAllText(Path.Combine(folder, "m.onnx.manifest.json.0123456789abcdef0123456789abcdef.tmp"), "half a manifest");

        (bool ok, RecordingBuildEngine engine, _) = Compress(project.Path, new TaskItem("m.onnx", new Dictionary<string, string> { ["Quantize"] = "Int8" }));

        Assert.IsTrue(ok, engine.Describe());
        Assert.IsFalse(Directory.Exists(Path.Combine(folder, ".m.onnx.1234abcd.tmp")));
        CollectionAssert.AreEquivalent(
            new[] { "m.onnx", "m.onnx.manifest.json", "m.onnx.report.json", "m.onnx.compress.stamp", "m.onnx.manifest.stamp" },
            Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).ToArray(),
            "the staging folder and the half-written manifest are gone");
    }

    [TestMethod]
    public void Skipped_validation_is_warning_CMP2012_and_the_model_is_kept()
    {
        using var project = new TempDirectory("cb-skipped");
        File.WriteAllBytes(project.File("range.onnx"), TinyModels.RangeNeedingRealInputs());

        // Synthesised integer inputs are 0, and Range rejects a zero step: the original model cannot be run.
        (bool ok, RecordingBuildEngine engine, ITaskItem item) = Compress(project.Path, new TaskItem("range.onnx", new Dictionary<string, string>()));

        Assert.IsTrue(ok, engine.Describe());
        BuildWarningEventArgs warning = engine.Warnings.Single();
        Assert.AreEqual("CMP2012", warning.Code);
        StringAssert.Contains(warning.Message, "not validated");
        StringAssert.Contains(warning.Message, "ValidationData");
        Assert.IsTrue(File.Exists(item.GetMetadata("CompressedPath")));
    }

    [TestMethod]
    public void Validation_data_makes_the_deviation_part_of_the_line()
    {
        using var project = new TempDirectory("cb-validation");
        File.Copy(Repository.RealModel("silero_vad_v5.onnx"), project.File("vad.onnx"), overwrite: true);
        TestDataSets.WriteSileroVad(Path.Combine(project.Path, "vad-inputs"), sets: 2);

        (bool ok, RecordingBuildEngine engine, _) = Compress(
            project.Path, new TaskItem("vad.onnx", new Dictionary<string, string> { ["Quantize"] = "Int8", ["ValidationData"] = "vad-inputs" }));

        Assert.IsTrue(ok, engine.Describe());
        Assert.IsEmpty(engine.Warnings, engine.Describe());
        string line = engine.Messages.Single(m => m.Message!.StartsWith("vad.onnx -> ", StringComparison.Ordinal)).Message!;
        StringAssert.Contains(line, "max |d|");
        StringAssert.Contains(line, "over 2 inputs");
        foreach (string output in new[] { "output", "stateN" })
        {
            Assert.IsTrue(
                engine.Messages.Any(m => m.Message!.StartsWith($"vad.onnx: output '{output}': max |d| ", StringComparison.Ordinal) && m.Message.Contains("cosine", StringComparison.Ordinal)),
                "deviation and cosine per output: " + output);
        }
    }

    /// <summary>The sanity check, then the compression of its single prepared item, as the targets do.</summary>
    private static (bool Ok, RecordingBuildEngine Engine, ITaskItem Item) Compress(string projectDirectory, ITaskItem item)
    {
        var engine = new RecordingBuildEngine();
        var prepare = new PrepareCompressedModels
        {
            BuildEngine = engine,
            Models = [item],
            ProjectDirectory = projectDirectory,
            CompressionDirectory = "obj/compression/",
            RootNamespace = "Tests",
        };
        Assert.IsTrue(prepare.Execute(), engine.Describe());
        ITaskItem prepared = prepare.PreparedModels.Single();
        using var compress = new CompressModel
        {
            BuildEngine = engine,
            Model = prepared,
            ProjectDirectory = projectDirectory,
            CompressionDirectory = "obj/compression/",
        };
        return (compress.Execute(), engine, prepared);
    }
}
