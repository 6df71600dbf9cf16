using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Google.Protobuf;
using Onnx;

namespace Compression.Onnx.Tests.IO;

/// <summary>Every kind of bad model file gives a coded error naming the file, never a crash or a hang.</summary>
[TestClass]
public sealed class BadInputTests
{
    private static CompressionException LoadFails(string path)
    {
        var error = Assert.ThrowsExactly<CompressionException>(() => OnnxModel.Load(path).Dispose());
        Assert.AreEqual(Path.GetFullPath(path), error.FilePath);
        Assert.IsFalse(string.IsNullOrWhiteSpace(error.Help));
        return error;
    }

    private static CompressionException LoadBytesFails(byte[] bytes)
    {
        using var folder = new TempFolder();
        string path = folder.File("bad.onnx");
        File.WriteAllBytes(path, bytes);
        return LoadFails(path);
    }

    [TestMethod]
    public void MissingFile() =>
        Assert.AreEqual(DiagnosticCodes.ModelFileNotFound, LoadFails(Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid() + ".onnx")).Code);

    [TestMethod]
    public void FolderInsteadOfFile()
    {
        using var folder = new TempFolder();
        Assert.AreEqual(DiagnosticCodes.ModelFileNotFound, LoadFails(folder.Path).Code);
    }

    [TestMethod]
    [DataRow(0.5)]
    [DataRow(0.9)]
    [DataRow(0.999)]
    public void TruncatedRealModel(double fraction)
    {
        byte[] bytes = File.ReadAllBytes(TestFiles.Silero);
        Assert.AreEqual(DiagnosticCodes.ModelUnreadable, LoadBytesFails(bytes[..(int)(bytes.Length * fraction)]).Code);
    }

    [TestMethod]
    public void EmptyFile() =>
        Assert.AreEqual(DiagnosticCodes.NotAnOnnxModel, LoadBytesFails([]).Code);

    [TestMethod]
    public void RandomBytes()
    {
        // Many seeds: random bytes are either unreadable protobuf or readable but not ONNX; never anything else.
        for (int seed = 0; seed < 200; seed++)
        {
            var bytes = new byte[1 + (seed * 37 % 4096)];
            new Random(seed).NextBytes(bytes);
            string code = LoadBytesFails(bytes).Code;
            Assert.IsTrue(code is DiagnosticCodes.ModelUnreadable or DiagnosticCodes.NotAnOnnxModel or DiagnosticCodes.NestingTooDeep, $"seed {seed}: {code}");
        }

        var fixedBytes = new byte[4096];
        new Random(42).NextBytes(fixedBytes);
        Assert.AreEqual(DiagnosticCodes.ModelUnreadable, LoadBytesFails(fixedBytes).Code);
    }

    [TestMethod]
    public void TensorProtoIsNotAModel()
    {
        // A valid protobuf of another ONNX message (an unnamed test-data tensor): its dims read as an IR version, but there is no graph.
        TensorProto tensor = TensorData.CreateFloat(string.Empty, [1, 3, 224, 224], new float[3 * 224 * 224]);
        CompressionException error = LoadBytesFails(tensor.ToByteArray());
        Assert.AreEqual(DiagnosticCodes.NotAnOnnxModel, error.Code, error.ToString());
    }

    [TestMethod]
    public void ModelWithoutGraph()
    {
        var model = new ModelProto { IrVersion = 8 };
        Assert.AreEqual(DiagnosticCodes.NotAnOnnxModel, LoadBytesFails(model.ToByteArray()).Code);
    }

    private static byte[] NestedIfModel(int levels)
    {
        GraphProto inner = new() { Name = "leaf" };
        for (int level = 0; level < levels; level++)
        {
            var node = new NodeProto { OpType = "If", Name = "if" + level };
            node.Input.Add("cond");
            node.Output.Add("out");
            node.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = inner });
            inner = new GraphProto { Name = "g" + level };
            inner.Node.Add(node);
        }

        return ModelFactory.Model(inner).ToByteArray();
    }

    [TestMethod]
    public void RecursionBombOfNestedIfBranches()
    {
        // 60 nested If nodes: each level is node -> attribute -> graph, far past the reader's limit of 100 messages.
        Assert.AreEqual(DiagnosticCodes.NestingTooDeep, LoadBytesFails(NestedIfModel(60)).Code);
    }

    [TestMethod]
    public void TheDefaultLimitIsTheSameForFilesAndStreams()
    {
        // With the limit of 100 messages, 33 nested If levels (3 messages each) still load and 34 do not,
        // whether the file is parsed from its memory map or from a stream.
        using var folder = new TempFolder();
        foreach ((int levels, bool fits) in new[] { (33, true), (34, false) })
        {
            string path = folder.File($"nested{levels}.onnx");
            File.WriteAllBytes(path, NestedIfModel(levels));
            using var stream = new MemoryStream(File.ReadAllBytes(path));
            if (fits)
            {
                OnnxModel.Load(path).Dispose();
                OnnxModel.Load(stream, null).Dispose();
            }
            else
            {
                Assert.AreEqual(DiagnosticCodes.NestingTooDeep, Assert.ThrowsExactly<CompressionException>(() => OnnxModel.Load(path)).Code);
                Assert.AreEqual(DiagnosticCodes.NestingTooDeep, Assert.ThrowsExactly<CompressionException>(() => OnnxModel.Load(stream, null)).Code);
            }
        }
    }

    [TestMethod]
    public void DeeplyNestedBytesThatAreNotEvenValidMessages()
    {
        // model.graph, then graph.node -> node.attribute -> attribute.g repeated 100 000 times, with no
        // content at the bottom: the classic stack-overflow bomb.
        const int depth = 100_000;
        byte[] tags = [0x0A, 0x2A, 0x32];
        var stream = new MemoryStream();
        int remaining = depth * 5;
        for (int i = 0; i < depth; i++)
        {
            stream.WriteByte(i == 0 ? (byte)0x3A : tags[(i - 1) % 3]);
            remaining -= 5;
            WriteFixedVarint(stream, remaining);
        }

        CompressionException nested = LoadBytesFails(stream.ToArray());
        Assert.AreEqual(DiagnosticCodes.NestingTooDeep, nested.Code, nested.ToString());
    }

    private static void WriteFixedVarint(Stream stream, int value)
    {
        // Always 4 bytes so the lengths are easy to precompute.
        stream.WriteByte((byte)(0x80 | (value & 0x7F)));
        stream.WriteByte((byte)(0x80 | ((value >> 7) & 0x7F)));
        stream.WriteByte((byte)(0x80 | ((value >> 14) & 0x7F)));
        stream.WriteByte((byte)((value >> 21) & 0x7F));
    }

    [TestMethod]
    public void RecursionLimitIsAnOption()
    {
        using var folder = new TempFolder();
        File.Copy(TestFiles.Silero, folder.File("s.onnx"));
        var error = Assert.ThrowsExactly<CompressionException>(() => OnnxModel.Load(folder.File("s.onnx"), new ModelLoadOptions { RecursionLimit = 4 }));
        Assert.AreEqual(DiagnosticCodes.NestingTooDeep, error.Code);
        using OnnxModel loaded = OnnxModel.Load(folder.File("s.onnx"));
        Assert.IsNotNull(loaded.Proto.Graph);
    }

    [TestMethod]
    public void DimensionProductOverflows()
    {
        ModelProto model = ModelFactory.AddMul(2);
        TensorProto huge = model.Graph.Initializer[0];
        huge.Dims.Clear();
        huge.Dims.Add([1L << 40, 1L << 40]);
        Assert.AreEqual(DiagnosticCodes.InvalidTensorShape, LoadBytesFails(model.ToByteArray()).Code);
    }

    [TestMethod]
    public void NegativeDimension()
    {
        ModelProto model = ModelFactory.AddMul(2);
        model.Graph.Initializer[0].Dims[0] = -2;
        Assert.AreEqual(DiagnosticCodes.InvalidTensorShape, LoadBytesFails(model.ToByteArray()).Code);
    }

    [TestMethod]
    public void RawDataShorterThanTheShape()
    {
        ModelProto model = ModelFactory.AddMul(4);
        model.Graph.Initializer[0].Dims[0] = 1000;
        Assert.AreEqual(DiagnosticCodes.TensorDataMismatch, LoadBytesFails(model.ToByteArray()).Code);
    }

    [TestMethod]
    public void TypedFieldShorterThanTheShape()
    {
        ModelProto model = ModelFactory.AddMul(4);
        model.Graph.Initializer[0] = TensorData.CreateFloat("a", [4], [1, 2, 3, 4], TensorEncoding.TypedField);
        model.Graph.Initializer[0].FloatData.RemoveAt(3);
        Assert.AreEqual(DiagnosticCodes.TensorDataMismatch, LoadBytesFails(model.ToByteArray()).Code);
    }

    [TestMethod]
    public void StreamErrorsHaveNoPathButACode()
    {
        using var stream = new MemoryStream([0x0A, 0xFF, 0xFF]);
        var error = Assert.ThrowsExactly<CompressionException>(() => OnnxModel.Load(stream, null));
        Assert.AreEqual(DiagnosticCodes.ModelUnreadable, error.Code);
        Assert.IsNull(error.FilePath);
    }
}
