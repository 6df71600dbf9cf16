using Compression.Onnx.Tests.Calibration;
using Compression.Onnx.Tests.Pipeline;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Tests.Static;

/// <summary>QDQ placement per op on a tiny graph: ONNX Runtime must run every planned node as its integer kernel, with one Q at the input and one DQ at the output only.</summary>
[TestClass]
public sealed class QdqPlacementTests
{
    /// <summary>x → Conv → Relu → r; r → Conv → c; Add(r, c) → GlobalAveragePool → g; Sigmoid(g) → s; Concat(s, g) → y.</summary>
    private static ModelProto Net()
    {
        var g = new GraphProto { Name = "g" };
        g.Input.Add(TinyModels.Value("x", DataType.Float, 1, 4, 8, 8));
        g.Output.Add(TinyModels.Value("y", DataType.Float, 1, 16, 1, 1));
        g.Initializer.Add(TinyModels.Floats("W1", [8, 4, 3, 3], TinyModels.Seeded(8 * 4 * 9, 1, 0.3f)));
        g.Initializer.Add(TinyModels.Floats("B1", [8], TinyModels.Seeded(8, 2, 0.1f)));
        g.Initializer.Add(TinyModels.Floats("W2", [8, 8, 3, 3], TinyModels.Seeded(8 * 8 * 9, 3, 0.2f)));
        g.Node.Add(TinyModels.Node("Conv", "conv1", ["x", "W1", "B1"], ["c1"], TinyModels.Ints("pads", 1, 1, 1, 1)));
        g.Node.Add(TinyModels.Node("Relu", "relu", ["c1"], ["r"]));
        g.Node.Add(TinyModels.Node("Conv", "conv2", ["r", "W2"], ["c2"], TinyModels.Ints("pads", 1, 1, 1, 1)));
        g.Node.Add(TinyModels.Node("Add", "add", ["r", "c2"], ["a"]));
        g.Node.Add(TinyModels.Node("GlobalAveragePool", "gap", ["a"], ["p"]));
        g.Node.Add(TinyModels.Node("Sigmoid", "sigmoid", ["p"], ["s"]));
        g.Node.Add(TinyModels.Node("Concat", "concat", ["s", "p"], ["y"], TinyModels.Int("axis", 1)));
        return TinyModels.Model(g, 13);
    }

    [TestMethod]
    public void Every_planned_node_runs_as_an_integer_kernel_with_no_pair_left_inside()
    {
        string dir = PassTestFiles.NewTempDirectory();
        string source = TinyModels.Save(Net(), dir, "net.onnx");
        for (int s = 0; s < 8; s++)
        {
            NpyFiles.Write(Path.Combine(dir, "cal", $"set_{s}", "x.npy"), NpyFiles.Floats([1, 4, 8, 8], TinyModels.Seeded(256, 10 + s)));
        }

        string output = Path.Combine(dir, "out", "net.onnx");
        var report = ModelCompressor.Compress(source, output, new CompressionSettings
        {
            Quantize = QuantizationType.Int8, Mode = QuantizationMode.Static, CalibrationDataPath = Path.Combine(dir, "cal"), Tolerance = "cosine>=0.99",
        });
        var ops = OptimizedGraph.OpCounts(output);
        Assert.AreEqual(2, ops.Count("QLinearConv"), ops.Describe());
        Assert.AreEqual(1, ops.Count("QLinearAdd"), ops.Describe());
        Assert.AreEqual(1, ops.Count("QLinearGlobalAveragePool"), ops.Describe());
        Assert.AreEqual(1, ops.Count("QLinearSigmoid"), ops.Describe());
        Assert.AreEqual(1, ops.Count("QLinearConcat"), ops.Describe());
        Assert.AreEqual(0, ops.Count("Relu") + ops.Count("Conv") + ops.Count("Add"), ops.Describe());
        Assert.AreEqual(1, ops.Count("QuantizeLinear"), "only the graph input is quantized in float: " + ops.Describe());
        Assert.AreEqual(1, ops.Count("DequantizeLinear"), "only the graph output is dequantized: " + ops.Describe());
        Assert.Contains("2 Conv", report.Summary);
        Assert.Contains("1 Relu/Clip folded", report.Summary);
        Validation.OnnxChecker.AssertValid(output);
    }

    [TestMethod]
    public void Static_without_calibration_data_or_with_nothing_to_quantize_is_coded()
    {
        string dir = PassTestFiles.NewTempDirectory();
        string source = TinyModels.Save(Net(), dir, "net.onnx");
        var none = Assert.ThrowsExactly<CompressionException>(() => ModelCompressor.Compress(source, Path.Combine(dir, "o.onnx"), new CompressionSettings { Quantize = QuantizationType.Int8, Mode = QuantizationMode.Static }));
        Assert.AreEqual(DiagnosticCodes.StaticNeedsCalibrationData, none.Code);
        NpyFiles.Write(Path.Combine(dir, "cal", "set_0", "x.npy"), NpyFiles.Floats([1, 4, 8, 8], new float[256]));
        var excluded = Assert.ThrowsExactly<CompressionException>(() => ModelCompressor.Compress(source, Path.Combine(dir, "o.onnx"), new CompressionSettings
        {
            Quantize = QuantizationType.Int8, Mode = QuantizationMode.Static, CalibrationDataPath = Path.Combine(dir, "cal"), ExcludeOps = ["Conv", "Add", "GlobalAveragePool", "Sigmoid", "Concat"],
        }));
        Assert.AreEqual(DiagnosticCodes.NothingToQuantizeStatically, excluded.Code);
    }
}
