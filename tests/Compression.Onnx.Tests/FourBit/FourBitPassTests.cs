using Compression.Onnx.IO;
using Compression.Onnx.FourBit;
using Compression.Onnx.Tensors;
using Compression.Onnx.Tests.IO;
using Onnx;

namespace Compression.Onnx.Tests.FourBit;

/// <summary>The other weight forms (embeddings, blocked int4, 8-bit fallback), subgraphs, exclusions and coded errors.</summary>
[TestClass]
public sealed class FourBitPassTests
{
    [TestMethod]
    [DataRow(QuantizationType.Int4, 32)]
    [DataRow(QuantizationType.UInt4, 16)]
    [DataRow(QuantizationType.UInt4, 64)]
    public void EmbeddingGatherBecomesGatherBlockQuantized(QuantizationType type, int blockSize)
    {
        using var temp = new TempFolder();
        int rows = 50, width = 72;
        var original = EmbeddingModel(FourBitModels.Gaussian(rows * width, 2), rows, width);
        var model = MatMulNBitsOrtTests.Quantize(original.Clone(), new FourBitOptions { Quantize = type, BlockSize = blockSize }, out var report);

        Assert.AreEqual(1, report.GatherBlockQuantizedWeights);
        NodeProto node = model.Graph.Node.Single();
        Assert.AreEqual("GatherBlockQuantized", node.OpType);
        Assert.AreEqual(type == QuantizationType.UInt4 ? 4 : 3, node.Input.Count);
        CollectionAssert.AreEqual(new long[] { rows, width / 2 }, QuantizedReference.Initializer(model, node.Input[0]).Dims.ToArray());

        var reference = original.Clone();
        reference.Graph.Initializer[0] = TensorData.CreateFloat("E", [rows, width], QuantizedReference.GatherBlockQuantized(model, node));
        long[] ids = [0, 7, 49, 7, 23];
        var input = OnnxRunner.Int64("ids", ids, ids.Length);
        float[] expected = MatMulNBitsOrtTests.RunModel(reference, temp.File("ref.onnx"), input);
        float[] actual = MatMulNBitsOrtTests.RunModel(model, temp.File("q.onnx"), input);
        CollectionAssert.AreEqual(expected, actual);
        Validation.OnnxChecker.AssertValid(temp.File("q.onnx"));
        var error = Kernels.ErrorMetrics.Compare(OnnxRunner.Run(Save(original, temp.File("o.onnx")), input)[0], actual);
        Assert.IsGreaterThan(0.99, error.CosineSimilarity);
    }

    [TestMethod]
    [DataRow(QuantizationType.Int4)]
    [DataRow(QuantizationType.UInt4)]
    public void ConvWeightInOpset21IsBlockedInt4DequantizeLinear(QuantizationType type)
    {
        using var temp = new TempFolder();
        var original = ConvModel(opset: 21, out float[] image);
        var model = MatMulNBitsOrtTests.Quantize(original.Clone(), new FourBitOptions { Quantize = type }, out var report);

        Assert.AreEqual(1, report.BlockedFourBitWeights);
        Assert.AreEqual(1, report.FloatWeights, "the conv bias stays in float");
        NodeProto dequantize = model.Graph.Node.Single(n => n.OpType == "DequantizeLinear");
        TensorProto q = QuantizedReference.Initializer(model, dequantize.Input[0]);
        Assert.AreEqual((int)(type == QuantizationType.Int4 ? TensorProto.Types.DataType.Int4 : TensorProto.Types.DataType.Uint4), q.DataType);
        Assert.AreEqual(32, QuantizedReference.Attribute(dequantize, "block_size", 0));
        Assert.AreEqual(1, QuantizedReference.Attribute(dequantize, "axis", -1), "input channels (64) give fewer scales than 16 output channels");

        // The stored weight is what a scalar QuantizeLinear of the ORIGINAL weights gives (written here from the
        // operator definition, not the kernels), so a wrong axis, scale or rounding cannot match.
        float[] weights = TensorData.ReadFloats(original.Graph.Initializer[0]);
        float[] quantized = BlockedQuantizeDequantize(weights, outer: 16, axisLength: 64, inner: 9, blockSize: 32, signed: type == QuantizationType.Int4);
        CollectionAssert.AreEqual(quantized, QuantizedReference.DequantizeLinear(model, dequantize), "stored weight vs a scalar reference from the original");

        var reference = original.Clone();
        reference.Graph.Initializer[0] = TensorData.CreateFloat("W", [16, 64, 3, 3], quantized);
        var input = OnnxRunner.Float("x", image, 1, 64, 8, 8);
        float[] expected = MatMulNBitsOrtTests.RunModel(reference, temp.File("ref.onnx"), input);
        float[] actual = MatMulNBitsOrtTests.RunModel(model, temp.File("q.onnx"), input);
        FourBitModels.AssertClose(expected, actual, 1e-5f, "blocked DequantizeLinear");

        // Against the original: per block of 32 the rounding error is uniform in +-scale/2 with scale = range / 15
        // (~4.2 sigma / 15 for 32 Gaussian weights), RMS ~0.08 sigma, so the 576-term sums are off by ~8% of their
        // spread before the bias. Bound 0.15 relative (~2x margin), cosine >= 0.985 (~1 - 0.15^2 / 2).
        float[] originalOutput = MatMulNBitsOrtTests.RunModel(original, temp.File("o.onnx"), input);
        Validation.Closeness.Assert(originalOutput, actual, maxRelativeError: 0.15, minCosine: 0.985, $"{type} blocked Conv vs the original");
    }

    /// <summary>
    /// ONNX QuantizeLinear then DequantizeLinear per block along one axis, with ONNX Runtime's scale rule
    /// (compute_scale_zp): the range includes 0; Int4 is symmetric ([-m, m], zero point 0), UInt4 asymmetric;
    /// scale = (max - min) / 15; q = saturate(round_half_even(x / scale) + zero point).
    /// </summary>
    private static float[] BlockedQuantizeDequantize(float[] w, int outer, int axisLength, int inner, int blockSize, bool signed)
    {
        var result = new float[w.Length];
        int qmin = signed ? -8 : 0, qmax = signed ? 7 : 15;
        for (int o = 0; o < outer; o++)
        {
            for (int start = 0; start < axisLength; start += blockSize)
            {
                for (int i = 0; i < inner; i++)
                {
                    int end = Math.Min(axisLength, start + blockSize);
                    float min = 0, max = 0;
                    for (int a = start; a < end; a++)
                    {
                        float v = w[(((o * axisLength) + a) * inner) + i];
                        min = Math.Min(min, v);
                        max = Math.Max(max, v);
                    }

                    if (signed)
                    {
                        max = Math.Max(-min, max);
                        min = -max;
                    }

                    double scale = (double)(max - min) / (qmax - qmin);
                    int zeroPoint = signed ? 0 : (int)Math.Round(qmin - (min / scale), MidpointRounding.ToEven);
                    float storedScale = (float)scale;
                    for (int a = start; a < end; a++)
                    {
                        int index = (((o * axisLength) + a) * inner) + i;
                        int q = Math.Clamp((int)MathF.Round(w[index] / storedScale, MidpointRounding.ToEven) + zeroPoint, qmin, qmax);
                        result[index] = (q - zeroPoint) * storedScale;
                    }
                }
            }
        }

        return result;
    }

    [TestMethod]
    [DataRow(13L, "Cast")]
    [DataRow(9L, "Cast")]
    public void ConvWeightBeforeOpset21IsLeftForThe8BitPassWhichThePipelineRuns(long opset, string expansion)
    {
        using var temp = new TempFolder();
        var original = ConvModel(opset, out float[] image);
        var direct = MatMulNBitsOrtTests.Quantize(original.Clone(), new FourBitOptions(), out var report);
        CollectionAssert.AreEqual(new[] { "W" }, report.EightBitCandidates.ToArray());
        Assert.AreEqual(0, report.BlockedFourBitWeights);
        StringAssert.Contains(string.Join("\n", report.Notes), "needs opset 21");
        Assert.AreEqual("Conv", direct.Graph.Node.Single().OpType, "the 4-bit pass alone leaves the weight as it is");

        using var model = Compression.Onnx.IO.OnnxModel.FromProto(original.Clone());
        var context = new Compression.Onnx.Passes.CompressionContext(model, new CompressionSettings { Quantize = QuantizationType.Int4 }, "conv.onnx");
        new FourBitQuantizationPass().Apply(context, CancellationToken.None);

        StringAssert.Contains(context.Summary.Single(), "1 of them stored as 8-bit weight-only");
        Assert.AreEqual("1", context.Metadata["compression.weights_8bit"]);
        // The 8-bit pass's weight-only form: Cast + Mul at every opset (ONNX Runtime folds it at load; a
        // DequantizeLinear on a constant weight is not folded and runs on every call, see docs/reports/passes.md).
        NodeProto expand = model.Proto.Graph.Node.First(n => n.OpType == expansion);
        Assert.AreEqual((int)TensorProto.Types.DataType.Int8, QuantizedReference.Initializer(model.Proto, expand.Input[0]).DataType);
        Assert.IsFalse(model.Proto.Graph.Initializer.Any(t => t.Name == "W"), "the float weight is gone");
        var input = OnnxRunner.Float("x", image, 1, 64, 8, 8);
        float[] expected = OnnxRunner.Run(Save(original, temp.File("o.onnx")), input)[0];
        float[] actual = MatMulNBitsOrtTests.RunModel(model.Proto, temp.File("q.onnx"), input);
        Assert.IsGreaterThan(0.999, Kernels.ErrorMetrics.Compare(expected, actual).CosineSimilarity);
        Validation.OnnxChecker.AssertValid(temp.File("q.onnx"));
    }

    [TestMethod]
    [DataRow(QuantizationMode.Dynamic)]
    [DataRow(QuantizationMode.Static)]
    public void FourBitWithAModeOtherThanWeightOnlyIsCMP4403(QuantizationMode mode)
    {
        using var temp = new TempFolder();
        string source = Save(FourBitModels.MatMul(FourBitModels.Gaussian(64 * 8, 1), 64, 8), temp.File("m.onnx"));
        var error = Assert.ThrowsExactly<CompressionException>(() => ModelCompressor.Compress(source, temp.File("out.onnx"), new CompressionSettings { Quantize = QuantizationType.UInt4, Mode = mode, Validate = false, CalibrationDataPath = mode == QuantizationMode.Static ? temp.Path : null }));
        Assert.AreEqual(DiagnosticCodes.FourBitModeUnsupported, error.Code);
        Assert.AreEqual(source, error.FilePath);
        Assert.IsFalse(File.Exists(temp.File("out.onnx")));
    }

    [TestMethod]
    public void TheEngineApiReachesInt4AndRecordsWhatItDid()
    {
        using var temp = new TempFolder();
        string source = Save(FourBitModels.Mlp([256, 256, 64], (layer, k, n) => FourBitModels.Gaussian(k * n, layer, 0.06f)), temp.File("mlp.onnx"));
        var report = ModelCompressor.Compress(source, temp.File("out.onnx"), new CompressionSettings { Quantize = QuantizationType.Int4, BlockSize = 64 });

        StringAssert.Contains(report.Summary, "Int4 weight-only block 64");
        StringAssert.Contains(report.Summary, "2 weights MatMulNBits (2 MatMul, 0 Gemm)");
        Assert.AreEqual("64", report.Metadata["compression.block_size"]);
        Assert.AreEqual("4", report.Metadata["compression.accuracy_level"]);
        Assert.IsLessThan(0.2, report.Ratio);
        Assert.IsNotNull(report.Validation, "validated in ONNX Runtime against the original");
        Console.WriteLine(report);

        // Against the original on 32 Gaussian inputs. Round-to-nearest 4-bit with a scale per 64 weights leaves an
        // error of at most scale/2 per weight, RMS ~scale/sqrt(12); with scale = 2 absmax / 15 and absmax ~2.5 sigma
        // over 64 Gaussian weights that is ~0.1 sigma, so each layer's output is off by ~10% (relative RMS), the two
        // layers by ~14%; the activation int8 blocks of accuracy level 4 add under 1%. Bound: 0.25 relative error
        // (1.8x margin), cosine >= 0.97 (1 - 0.25^2 / 2).
        float[] x = FourBitModels.Gaussian(32 * 256, 77);
        float[] expected = FourBitModels.RunFile(source, "x", x, 32, 256);
        float[] actual = FourBitModels.RunFile(temp.File("out.onnx"), "x", x, 32, 256);
        Validation.Closeness.Assert(expected, actual, maxRelativeError: 0.25, minCosine: 0.97, "Int4 block 64 MLP vs the original");
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(4)]
    public void TheAccuracyLevelSettingReachesEveryMatMulNBits(int accuracyLevel)
    {
        using var temp = new TempFolder();
        string source = Save(FourBitModels.Mlp([256, 256, 64], (layer, k, n) => FourBitModels.Gaussian(k * n, layer, 0.06f)), temp.File("mlp.onnx"));
        string output = temp.File("out.onnx");
        var report = ModelCompressor.Compress(source, output, new CompressionSettings { Quantize = QuantizationType.UInt4, AccuracyLevel = accuracyLevel, Validate = false });

        Assert.AreEqual(accuracyLevel.ToString(System.Globalization.CultureInfo.InvariantCulture), report.Metadata["compression.accuracy_level"]);
        using var written = OnnxModel.Load(output);
        var nodes = written.Proto.Graph.Node.Where(node => node.OpType == "MatMulNBits").ToList();
        Assert.HasCount(2, nodes);
        foreach (var node in nodes)
        {
            Assert.AreEqual(accuracyLevel, QuantizedReference.Attribute(node, "accuracy_level", -1));
        }
    }

    [TestMethod]
    public void WeightsInsideIfBranchesAreQuantized()
    {
        using var temp = new TempFolder();
        int k = 64, n = 32;
        float[] b = FourBitModels.Gaussian(k * n, 12);
        var branch = new GraphProto { Name = "then" };
        branch.Node.Add(GraphEditingConstant("B", [k, n], b));
        branch.Node.Add(ModelFactory.Node("MatMul", ["x", "B"], ["t"], "inner_mm"));
        branch.Output.Add(ModelFactory.FloatValue("t", 1, n));
        var other = new GraphProto { Name = "else" };
        other.Node.Add(GraphEditingConstant("Z", [1, n], new float[n]));
        other.Output.Add(ModelFactory.FloatValue("Z", 1, n));
        var graph = new GraphProto { Name = "if" };
        graph.Input.Add(ModelFactory.FloatValue("x", 1, k));
        graph.Input.Add(new ValueInfoProto { Name = "c", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Bool, Shape = new TensorShapeProto() } } });
        graph.Output.Add(ModelFactory.FloatValue("y", 1, n));
        var node = ModelFactory.Node("If", ["c"], ["y"], "branch");
        node.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = branch });
        node.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = other });
        graph.Node.Add(node);
        var original = ModelFactory.Model(graph, 17);

        var model = MatMulNBitsOrtTests.Quantize(original.Clone(), new FourBitOptions { AccuracyLevel = 1 }, out var report);

        Assert.AreEqual(1, report.MatMulNBitsWeights);
        GraphProto then = model.Graph.Node[0].Attribute[0].G;
        Assert.IsTrue(then.Node.Any(x => x.OpType == "MatMulNBits"));
        Assert.IsTrue(then.Node.Take(2).All(x => x.OpType == "Constant"), "the packed weight and scales stay Constant nodes, before their reader");
        float[] x = FourBitModels.Gaussian(k, 1);
        var inputs = new[] { OnnxRunner.Float("x", x, 1, k), Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("c", new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<bool>(new[] { true }, [])) };
        float[] actual = MatMulNBitsOrtTests.RunModel(model, temp.File("q.onnx"), inputs);
        float[] expected = MatMulNBitsOrtTests.RunModel(original, temp.File("o.onnx"), inputs);
        Assert.IsGreaterThan(0.99, Kernels.ErrorMetrics.Compare(expected, actual).CosineSimilarity);
    }

    [TestMethod]
    public void ExcludedAndSmallWeightsStayInFloat()
    {
        var model = FourBitModels.Mlp([64, 64, 8], (layer, k, n) => FourBitModels.Gaussian(k * n, layer));
        var q = MatMulNBitsOrtTests.Quantize(model, new FourBitOptions { ExcludeNodes = ["fc0"] }, out var report);
        Assert.AreEqual(1, report.MatMulNBitsWeights, "fc1 (64x8 = 512 elements)");
        Assert.AreEqual(1, report.FloatWeights);
        StringAssert.Contains(report.Notes.Single(), "excluded");
        Assert.AreEqual("MatMul", q.Graph.Node[0].OpType);
        StringAssert.Contains(report.Summary(new FourBitOptions()), "1 weights MatMulNBits (1 MatMul, 0 Gemm)");
    }

    [TestMethod]
    [DataRow(24, 4, "CMP4400")]
    [DataRow(8, 4, "CMP4400")]
    [DataRow(32, 5, "CMP4401")]
    [DataRow(32, -1, "CMP4401")]
    public void BadOptionsAreCodedErrors(int blockSize, int accuracyLevel, string code)
    {
        using var model = OnnxModelFor(FourBitModels.MatMul(new float[64 * 8], 64, 8));
        var error = Assert.ThrowsExactly<CompressionException>(() => new FourBitQuantizer(new FourBitOptions { BlockSize = blockSize, AccuracyLevel = accuracyLevel }).Quantize(model));
        Assert.AreEqual(code, error.Code);
        Assert.IsFalse(string.IsNullOrEmpty(error.Help));
    }

    [TestMethod]
    public void AModelWithNothingToQuantizeIsCMP4402()
    {
        using var model = OnnxModelFor(ModelFactory.AddMul(16));
        var error = Assert.ThrowsExactly<CompressionException>(() => new FourBitQuantizer(new FourBitOptions()).Quantize(model));
        Assert.AreEqual(DiagnosticCodes.NothingToQuantizeInFourBits, error.Code);
        StringAssert.Contains(error.Message, "fewer than 256 elements");
    }

    [TestMethod]
    public void NonFiniteWeightsStayInFloat()
    {
        float[] b = FourBitModels.Gaussian(64 * 8, 1);
        b[3] = float.PositiveInfinity;
        var model = FourBitModels.MatMul(b, 64, 8);
        model.Graph.Node.Add(ModelFactory.Node("MatMul", ["x", "B2"], ["y2"], "mm2"));
        model.Graph.Initializer.Add(TensorData.CreateFloat("B2", [64, 8], FourBitModels.Gaussian(64 * 8, 2)));
        MatMulNBitsOrtTests.Quantize(model, new FourBitOptions(), out var report);
        Assert.AreEqual(1, report.FloatWeights);
        StringAssert.Contains(report.Notes.Single(), "NaN or infinity");
    }

    [TestMethod]
    public void EveryFourBitCodeIsDocumentedOnce()
    {
        string doc = File.ReadAllText(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(TestFiles.Silero))!, "..", "..", "docs", "diagnostics.md"));
        string[] codes = typeof(DiagnosticCodes).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(c => c.StartsWith("CMP44", StringComparison.Ordinal))
            .ToArray();
        CollectionAssert.AreEquivalent(new[] { "CMP4400", "CMP4401", "CMP4402", "CMP4403" }, codes);
        foreach (string code in codes)
        {
            Assert.AreEqual(1, doc.Split('\n').Count(line => line.StartsWith($"| {code} |", StringComparison.Ordinal)), code);
        }
    }

    internal static ModelProto EmbeddingModel(float[] table, int rows, int width)
    {
        var graph = new GraphProto { Name = "embedding" };
        graph.Input.Add(new ValueInfoProto { Name = "ids", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Int64, Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = "n" } } } } } });
        graph.Output.Add(ModelFactory.FloatValue("y", 0, width));
        graph.Initializer.Add(TensorData.CreateFloat("E", [rows, width], table));
        graph.Node.Add(ModelFactory.Node("Gather", ["E", "ids"], ["y"], "embed"));
        return ModelFactory.Model(graph, 17);
    }

    private static ModelProto ConvModel(long opset, out float[] image)
    {
        var graph = new GraphProto { Name = "conv" };
        graph.Input.Add(ModelFactory.FloatValue("x", 1, 64, 8, 8));
        graph.Output.Add(ModelFactory.FloatValue("y", 1, 16, 6, 6));
        graph.Initializer.Add(TensorData.CreateFloat("W", [16, 64, 3, 3], FourBitModels.Gaussian(16 * 64 * 9, 21, 0.1f)));
        graph.Initializer.Add(TensorData.CreateFloat("bias", [16], FourBitModels.Gaussian(16, 22)));
        graph.Node.Add(ModelFactory.Node("Conv", ["x", "W", "bias"], ["y"], "conv"));
        var model = ModelFactory.Model(graph, opset);
        model.IrVersion = opset >= 21 ? 10 : opset >= 13 ? 7 : 4;
        image = FourBitModels.Gaussian(64 * 64, 23);
        return model;
    }

    private static NodeProto GraphEditingConstant(string name, long[] dims, float[] values) =>
        Compression.Onnx.Graph.NodeBuilder.Constant(TensorData.CreateFloat(name, dims, values));

    private static Compression.Onnx.IO.OnnxModel OnnxModelFor(ModelProto model) => Compression.Onnx.IO.OnnxModel.FromProto(model);

    private static string Save(ModelProto model, string path)
    {
        using var wrapper = Compression.Onnx.IO.OnnxModel.FromProto(model);
        wrapper.Save(path);
        return path;
    }
}
