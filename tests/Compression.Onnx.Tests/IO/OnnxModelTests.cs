using Compression.Onnx.IO;
using Google.Protobuf;
using Onnx;

namespace Compression.Onnx.Tests.IO;

[TestClass]
public sealed class OnnxModelTests
{
    [TestMethod]
    [DataRow("silero_vad_v5.onnx")]
    [DataRow("ch_ppocr_mobile_v2.0_cls_infer.onnx")]
    public void RealModelSavesBackByteIdentical(string fileName)
    {
        using var folder = new TempFolder();
        string source = TestFiles.Model(fileName);
        using OnnxModel model = OnnxModel.Load(source);
        string output = folder.File(fileName);
        model.Save(output);
        CollectionAssert.AreEqual(File.ReadAllBytes(source), File.ReadAllBytes(output));
        CollectionAssert.AreEqual(new[] { fileName }, folder.Entries(), "only the model, no temp or data file");
    }

    [TestMethod]
    public void LoadFromStreamEqualsLoadFromPath()
    {
        using OnnxModel fromPath = OnnxModel.Load(TestFiles.Silero);
        using FileStream stream = File.OpenRead(TestFiles.Silero);
        using OnnxModel fromStream = OnnxModel.Load(stream, baseDirectory: null);
        Assert.AreEqual(fromPath.Proto, fromStream.Proto);
        Assert.AreEqual(Path.GetFullPath(TestFiles.Silero), fromPath.FilePath);
        Assert.IsNull(fromStream.FilePath);
    }

    [TestMethod]
    public void LoadFromAFileStreamStartsAtItsPosition()
    {
        using var folder = new TempFolder();
        byte[] model = File.ReadAllBytes(TestFiles.PpOcr);
        File.WriteAllBytes(folder.File("prefixed.bin"), [1, 2, 3, 4, 5, .. model]);
        using FileStream stream = File.OpenRead(folder.File("prefixed.bin"));
        stream.Seek(5, SeekOrigin.Begin);
        using OnnxModel loaded = OnnxModel.Load(stream, null);
        Assert.AreEqual(ModelProto.Parser.ParseFrom(model), loaded.Proto);
        Assert.AreEqual(stream.Length, stream.Position, "the stream is read to its end");
    }

    [TestMethod]
    public void UnknownFieldsSurviveARoundTrip()
    {
        ModelProto proto = ModelFactory.AddMul(4);
        byte[] bytes = proto.ToByteArray();
        // Field 99 (varint 42) and field 100 (bytes "future") on the model, as a newer ONNX might add.
        byte[] extra = [0x98, 0x06, 42, 0xA2, 0x06, 6, (byte)'f', (byte)'u', (byte)'t', (byte)'u', (byte)'r', (byte)'e'];
        byte[] withUnknown = [.. bytes, .. extra];
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("in.onnx"), withUnknown);
        using OnnxModel model = OnnxModel.Load(folder.File("in.onnx"));
        model.Save(folder.File("out.onnx"));
        CollectionAssert.AreEqual(withUnknown, File.ReadAllBytes(folder.File("out.onnx")));
    }

    [TestMethod]
    public void SaveReplacesAnExistingFileAndLeavesNoTempFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.onnx");
        File.WriteAllText(path, "old content");
        using OnnxModel model = OnnxModel.FromProto(ModelFactory.AddMul(8));
        model.Save(path);
        using OnnxModel reloaded = OnnxModel.Load(path);
        Assert.AreEqual(model.Proto, reloaded.Proto);
        CollectionAssert.AreEqual(new[] { "m.onnx" }, folder.Entries());
    }

    [TestMethod]
    public void SaveIntoAMissingFolderIsCodedAndLeavesNothing()
    {
        using var folder = new TempFolder();
        using OnnxModel model = OnnxModel.FromProto(ModelFactory.AddMul(8));
        var error = Assert.ThrowsExactly<CompressionException>(() => model.Save(folder.File("missing/m.onnx")));
        Assert.AreEqual(DiagnosticCodes.SaveFailed, error.Code);
        Assert.AreEqual(folder.File("missing/m.onnx"), error.FilePath);
        Assert.IsEmpty(folder.Entries());
    }

    /// <summary>
    /// The write succeeds and the final move fails: the target is a directory, which no rename can replace, even
    /// for root (a read-only folder would not stop root, so that test never ran in CI). The failure is coded, the
    /// target and its content are untouched, and the temporary file is gone.
    /// </summary>
    [TestMethod]
    public void SaveWhoseFinalMoveFailsIsCodedAndLeavesTheTargetAsItWas()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.onnx");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "keep.txt"), "original");
        using OnnxModel model = OnnxModel.FromProto(ModelFactory.AddMul(8));

        var error = Assert.ThrowsExactly<CompressionException>(() => model.Save(path));

        Assert.AreEqual(DiagnosticCodes.SaveFailed, error.Code);
        Assert.AreEqual(path, error.FilePath);
        Assert.AreEqual("original", File.ReadAllText(Path.Combine(path, "keep.txt")));
        CollectionAssert.AreEqual(new[] { "m.onnx" }, folder.Entries(), "no temporary file left beside the target");
    }

    /// <summary>The folder of the target is a file: creating the temporary file fails (for root too), coded, nothing written.</summary>
    [TestMethod]
    public void SaveUnderAPathWhoseFolderIsAFileIsCodedAndChangesNothing()
    {
        using var folder = new TempFolder();
        string notAFolder = folder.File("plain");
        File.WriteAllText(notAFolder, "original");
        using OnnxModel model = OnnxModel.FromProto(ModelFactory.AddMul(8));

        var error = Assert.ThrowsExactly<CompressionException>(() => model.Save(Path.Combine(notAFolder, "m.onnx")));

        Assert.AreEqual(DiagnosticCodes.SaveFailed, error.Code);
        Assert.AreEqual("original", File.ReadAllText(notAFolder));
        CollectionAssert.AreEqual(new[] { "plain" }, folder.Entries());
    }

    [TestMethod]
    public void SavedRealModelRunsTheSameInOnnxRuntime()
    {
        using var folder = new TempFolder();
        using OnnxModel model = OnnxModel.Load(TestFiles.Silero);
        model.Save(folder.File("s.onnx"));
        float[][] expected = OnnxRunner.RunSilero(TestFiles.Silero);
        float[][] actual = OnnxRunner.RunSilero(folder.File("s.onnx"));
        Assert.HasCount(2, actual);
        CollectionAssert.AreEqual(expected[0], actual[0]);
        CollectionAssert.AreEqual(expected[1], actual[1]);
    }
}
