using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Google.Protobuf;
using Onnx;

namespace Compression.Onnx.Tests.IO;

[TestClass]
public sealed class ExternalDataTests
{
    /// <summary>Writes a model whose initializer 'a' (and 'b') point at <paramref name="location"/>.</summary>
    private static string WriteExternalModel(TempFolder folder, string location, long offset = 0, long? length = null, int size = 64)
    {
        ModelProto model = ModelFactory.AddMul(size);
        foreach (TensorProto tensor in model.Graph.Initializer)
        {
            TensorData.ClearValues(tensor);
            tensor.DataLocation = TensorProto.Types.DataLocation.External;
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = (length ?? size * 4L).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        string path = folder.File("model.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private static CompressionException LoadFails(string path)
    {
        var error = Assert.ThrowsExactly<CompressionException>(() => OnnxModel.Load(path).Dispose());
        Assert.AreEqual(path, error.FilePath);
        return error;
    }

    [TestMethod]
    public void SaveAsExternalThenLoadGivesTheSameValues()
    {
        using var folder = new TempFolder();
        ModelProto proto = ModelFactory.AddMul(1000);
        float[] a = TensorData.ReadFloats(proto.Graph.Initializer[0]);
        using (OnnxModel model = OnnxModel.FromProto(proto))
        {
            model.Save(folder.File("m.onnx"), new ModelSaveOptions { ExternalData = ExternalDataMode.Always });
        }

        CollectionAssert.AreEquivalent(new[] { "m.onnx", "m.onnx.data" }, folder.Entries());
        Assert.IsLessThan(2000L, new FileInfo(folder.File("m.onnx")).Length, "weights left the model file");
        using OnnxModel loaded = OnnxModel.Load(folder.File("m.onnx"));
        TensorProto external = loaded.Proto.Graph.Initializer[0];
        Assert.IsTrue(TensorData.IsExternal(external));
        Assert.IsFalse(external.HasRawData);
        CollectionAssert.AreEqual(a, TensorData.ReadFloats(external, loaded));

        // And ONNX Runtime reads the data file we wrote.
        float[] x = Enumerable.Range(0, 1000).Select(i => i * 0.01f).ToArray();
        float[] b = TensorData.ReadFloats(loaded.Proto.Graph.Initializer[1], loaded);
        float[] y = OnnxRunner.Run(folder.File("m.onnx"), OnnxRunner.Float("x", x, 1000))[0];
        for (int i = 0; i < y.Length; i++)
        {
            Assert.AreEqual((x[i] + a[i]) * b[i], y[i], 1e-6f);
        }
    }

    [TestMethod]
    public void AutoKeepsExternalDataAndNeverInlinesIt()
    {
        using var folder = new TempFolder();
        using (OnnxModel model = OnnxModel.FromProto(ModelFactory.AddMul(1000)))
        {
            model.Save(folder.File("m.onnx"), new ModelSaveOptions { ExternalData = ExternalDataMode.Always, ExternalDataFileName = "weights.bin" });
        }

        using var output = new TempFolder();
        using (OnnxModel loaded = OnnxModel.Load(folder.File("m.onnx")))
        {
            loaded.Save(output.File("auto.onnx"));
            loaded.Save(output.File("inline.onnx"), new ModelSaveOptions { ExternalData = ExternalDataMode.Never });
        }

        CollectionAssert.AreEquivalent(new[] { "auto.onnx", "auto.onnx.data", "inline.onnx" }, output.Entries());
        using OnnxModel auto = OnnxModel.Load(output.File("auto.onnx"));
        using OnnxModel inline = OnnxModel.Load(output.File("inline.onnx"));
        Assert.IsTrue(TensorData.IsExternal(auto.Proto.Graph.Initializer[0]));
        Assert.IsTrue(inline.Proto.Graph.Initializer[0].HasRawData);
        CollectionAssert.AreEqual(TensorData.ReadFloats(auto.Proto.Graph.Initializer[0], auto), TensorData.ReadFloats(inline.Proto.Graph.Initializer[0]));
    }

    [TestMethod]
    public void SavingOverTheLoadedFilesInPlaceWorks()
    {
        using var folder = new TempFolder();
        using (OnnxModel model = OnnxModel.FromProto(ModelFactory.AddMul(1000)))
        {
            model.Save(folder.File("m.onnx"), new ModelSaveOptions { ExternalData = ExternalDataMode.Always });
        }

        float[] before;
        using (OnnxModel loaded = OnnxModel.Load(folder.File("m.onnx")))
        {
            before = TensorData.ReadFloats(loaded.Proto.Graph.Initializer[0], loaded);
            loaded.Save(folder.File("m.onnx"));
        }

        using OnnxModel again = OnnxModel.Load(folder.File("m.onnx"));
        CollectionAssert.AreEqual(before, TensorData.ReadFloats(again.Proto.Graph.Initializer[0], again));
        CollectionAssert.AreEquivalent(new[] { "m.onnx", "m.onnx.data" }, folder.Entries());
    }

    [TestMethod]
    public void SmallTensorsStayInlineBelowTheThreshold()
    {
        using var folder = new TempFolder();
        using OnnxModel model = OnnxModel.FromProto(ModelFactory.AddMul(8));
        model.Save(folder.File("m.onnx"), new ModelSaveOptions { ExternalData = ExternalDataMode.Always, ExternalDataThreshold = 1024 });
        using OnnxModel loaded = OnnxModel.Load(folder.File("m.onnx"));
        Assert.IsFalse(TensorData.IsExternal(loaded.Proto.Graph.Initializer[0]));
        CollectionAssert.AreEqual(new[] { "m.onnx" }, folder.Entries(), "no empty data file");
    }

    [TestMethod]
    public void DataInASubfolderIsAllowed()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("weights"));
        File.WriteAllBytes(folder.File("weights/w.bin"), new byte[256]);
        string path = WriteExternalModel(folder, "weights/w.bin");
        using OnnxModel model = OnnxModel.Load(path);
        Assert.IsTrue(TensorData.ReadFloats(model.Proto.Graph.Initializer[0], model).All(v => v == 0));
    }

    [TestMethod]
    public void AbsolutePathIsRefused()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("w.bin"), new byte[256]);
        Assert.AreEqual(DiagnosticCodes.ExternalDataOutsideModelFolder, LoadFails(WriteExternalModel(folder, folder.File("w.bin"))).Code);
    }

    [TestMethod]
    [DataRow("../w.bin")]
    [DataRow("sub/../../w.bin")]
    [DataRow("..\\w.bin")]
    public void ParentTraversalIsRefused(string location)
    {
        using var outer = new TempFolder();
        File.WriteAllBytes(outer.File("w.bin"), new byte[256]);
        string inner = outer.File("model");
        Directory.CreateDirectory(Path.Combine(inner, "sub"));
        string path = Path.Combine(inner, "model.onnx");
        File.Copy(WriteExternalModel(outer, location), path);
        Assert.AreEqual(DiagnosticCodes.ExternalDataOutsideModelFolder, LoadFails(path).Code);
    }

    [TestMethod]
    public void SymbolicLinkToAFileIsRefused()
    {
        using var folder = new TempFolder();
        using var elsewhere = new TempFolder();
        File.WriteAllBytes(elsewhere.File("secret.bin"), new byte[256]);
        File.CreateSymbolicLink(folder.File("w.bin"), elsewhere.File("secret.bin"));
        Assert.AreEqual(DiagnosticCodes.ExternalDataSymbolicLink, LoadFails(WriteExternalModel(folder, "w.bin")).Code);
    }

    [TestMethod]
    public void SymbolicLinkToAFolderIsRefused()
    {
        using var folder = new TempFolder();
        using var elsewhere = new TempFolder();
        File.WriteAllBytes(elsewhere.File("w.bin"), new byte[256]);
        Directory.CreateSymbolicLink(folder.File("linked"), elsewhere.Path);
        Assert.AreEqual(DiagnosticCodes.ExternalDataSymbolicLink, LoadFails(WriteExternalModel(folder, "linked/w.bin")).Code);
    }

    [TestMethod]
    public void HardLinkIsRefused()
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.WriteLine("Hard-link test runs on Linux only.");
            return;
        }

        using var folder = new TempFolder();
        using var elsewhere = new TempFolder();
        File.WriteAllBytes(elsewhere.File("secret.bin"), new byte[256]);
        using (var ln = System.Diagnostics.Process.Start("ln", [elsewhere.File("secret.bin"), folder.File("w.bin")]))
        {
            ln.WaitForExit();
            Assert.AreEqual(0, ln.ExitCode);
        }

        Assert.AreEqual(DiagnosticCodes.ExternalDataHardLink, LoadFails(WriteExternalModel(folder, "w.bin")).Code);
    }

    private static bool MakeFifo(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Console.WriteLine("FIFO test runs on Linux and macOS only.");
            return false;
        }

        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.AreEqual(0, mkfifo.ExitCode);
        return true;
    }

    [TestMethod]
    [Timeout(20_000)]
    public void FifoAsDataFileIsRefusedWithoutBlocking()
    {
        using var folder = new TempFolder();
        if (MakeFifo(folder.File("w.bin")))
        {
            Assert.AreEqual(DiagnosticCodes.ExternalDataMissing, LoadFails(WriteExternalModel(folder, "w.bin")).Code);
        }
    }

    [TestMethod]
    [Timeout(20_000)]
    public void FifoAsModelFileIsRefusedWithoutBlocking()
    {
        using var folder = new TempFolder();
        if (MakeFifo(folder.File("m.onnx")))
        {
            var error = Assert.ThrowsExactly<CompressionException>(() => OnnxModel.Load(folder.File("m.onnx")));
            Assert.AreEqual(DiagnosticCodes.ModelFileNotFound, error.Code);
        }
    }

    [TestMethod]
    public void ModelReachedThroughASymbolicLinkLoads()
    {
        // Links are refused for external data, not for the model path the user gives.
        using var folder = new TempFolder();
        File.Copy(TestFiles.PpOcr, folder.File("real.onnx"));
        File.CreateSymbolicLink(folder.File("link.onnx"), folder.File("real.onnx"));
        using OnnxModel model = OnnxModel.Load(folder.File("link.onnx"));
        Assert.IsNotNull(model.Proto.Graph);
    }

    [TestMethod]
    public void MissingDataFile()
    {
        using var folder = new TempFolder();
        Assert.AreEqual(DiagnosticCodes.ExternalDataMissing, LoadFails(WriteExternalModel(folder, "nowhere.bin")).Code);
    }

    [TestMethod]
    [DataRow(200L, null)]
    [DataRow(0L, 1000L)]
    [DataRow(0L, 128L)]
    [DataRow(long.MaxValue, 256L)]
    public void OffsetOrLengthOutsideTheFileOrShape(long offset, long? length)
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("w.bin"), new byte[256]);
        Assert.AreEqual(DiagnosticCodes.ExternalDataOutOfRange, LoadFails(WriteExternalModel(folder, "w.bin", offset, length)).Code);
    }

    [TestMethod]
    public void OffsetThatIsNotANumber()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("w.bin"), new byte[256]);
        string path = WriteExternalModel(folder, "w.bin");
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        model.Graph.Initializer[0].ExternalData[1].Value = "-5";
        File.WriteAllBytes(path, model.ToByteArray());
        Assert.AreEqual(DiagnosticCodes.ExternalDataOutOfRange, LoadFails(path).Code);
    }

    [TestMethod]
    public void StreamWithoutBaseDirectory()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("w.bin"), new byte[256]);
        using FileStream stream = File.OpenRead(WriteExternalModel(folder, "w.bin"));
        var error = Assert.ThrowsExactly<CompressionException>(() => OnnxModel.Load(stream, null));
        Assert.AreEqual(DiagnosticCodes.ExternalDataNeedsBaseDirectory, error.Code);
    }

    [TestMethod]
    public void StreamWithBaseDirectory()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("w.bin"), new byte[256]);
        using FileStream stream = File.OpenRead(WriteExternalModel(folder, "w.bin"));
        using OnnxModel model = OnnxModel.Load(stream, folder.Path);
        Assert.HasCount(64, TensorData.ReadFloats(model.Proto.Graph.Initializer[1], model));
    }
}

[TestClass]
public sealed class TwoGigabyteRuleTests
{
    [TestMethod]
    public void AutoWritesExternalDataWhenOneFileWouldBeTooLarge()
    {
        using var folder = new TempFolder();
        using OnnxModel model = OnnxModel.FromProto(ModelFactory.AddMul(1000));
        // 8,000 bytes of weights against a lowered limit stands in for 2 GB.
        model.Save(folder.File("m.onnx"), new ModelSaveOptions { InlineLimit = 4000 });
        CollectionAssert.AreEquivalent(new[] { "m.onnx", "m.onnx.data" }, folder.Entries());
        model.Save(folder.File("small.onnx"), new ModelSaveOptions { InlineLimit = 10_000 });
        Assert.IsFalse(File.Exists(folder.File("small.onnx.data")));
    }

    [TestMethod]
    public void NeverAboveTheLimitIsCodedAndWritesNothing()
    {
        using var folder = new TempFolder();
        using OnnxModel model = OnnxModel.FromProto(ModelFactory.AddMul(1000));
        var error = Assert.ThrowsExactly<CompressionException>(() =>
            model.Save(folder.File("m.onnx"), new ModelSaveOptions { ExternalData = ExternalDataMode.Never, InlineLimit = 4000 }));
        Assert.AreEqual(DiagnosticCodes.ModelTooLargeForSingleFile, error.Code);
        Assert.IsEmpty(folder.Entries());
    }

    [TestMethod]
    public void ModelFileAbove2GigabytesIsCodedWithoutReadingIt()
    {
        using var folder = new TempFolder();
        string path = folder.File("huge.onnx");
        using (FileStream stream = File.Create(path))
        {
            stream.SetLength(int.MaxValue + 1L); // sparse: no disk space used
        }

        var error = Assert.ThrowsExactly<CompressionException>(() => OnnxModel.Load(path));
        Assert.AreEqual(DiagnosticCodes.ModelTooLarge, error.Code);
    }
}
