using Compression.Onnx.IO;
using Compression.Onnx.Robustness;
using Compression.Onnx.Tests.Pipeline;
using Onnx;

namespace Compression.Onnx.Tests.Robustness;

/// <summary>A model that cannot fit fails before any pass allocates, with CMP1040.</summary>
[TestClass]
public sealed class MemoryBudgetTests
{
    [TestMethod]
    public void The_need_counts_the_tensors_twice_plus_the_largest_weight_as_floats()
    {
        using var model = OnnxModel.FromProto(TinyModels.MatMul(64, 32));
        long tensorBytes = 64 * 32 * 4;
        Assert.AreEqual((2 * tensorBytes) + (64 * 32 * 4), MemoryBudget.EstimateNeed(model));
    }

    [TestMethod]
    public void A_model_above_the_budget_is_CMP1040_naming_the_sizes()
    {
        string dir = PassTestFiles.NewTempDirectory();
        string source = TinyModels.Save(TinyModels.MatMul(256, 256), dir, "m.onnx");
        using var model = OnnxModel.Load(source);
        var e = Assert.ThrowsExactly<CompressionException>(() => MemoryBudget.Check(model, source, availableBytes: 512 * 1024));
        Assert.AreEqual(DiagnosticCodes.OutOfMemory, e.Code);
        Assert.AreEqual(source, e.FilePath);
        StringAssert.Contains(e.Message, "needs about 0.75 MB");
        StringAssert.Contains(e.Message, "can use 0.5 MB");
        MemoryBudget.Check(model, source, availableBytes: 1L << 30);
    }

    [TestMethod]
    public void External_data_claiming_more_than_the_machine_has_fails_fast()
    {
        // 16 tensors of 2 GB each in one sparse data file: 32 GB of claims on disk that takes nothing.
        string dir = PassTestFiles.NewTempDirectory();
        var model = TinyModels.MatMul(64, 64);
        var graph = model.Graph;
        graph.Initializer.Clear();
        const long Elements = (1L << 29) - 64; // just under 2 GB of floats each
        for (int i = 0; i < 16; i++)
        {
            var t = new TensorProto { Name = i == 0 ? "W" : "extra" + i, DataType = 1, DataLocation = TensorProto.Types.DataLocation.External };
            t.Dims.AddRange([Elements]);
            t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
            t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = (i * Elements * 4).ToString(System.Globalization.CultureInfo.InvariantCulture) });
            t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = (Elements * 4).ToString(System.Globalization.CultureInfo.InvariantCulture) });
            graph.Initializer.Add(t);
        }

        graph.Initializer[0].Dims.Clear();
        graph.Initializer[0].Dims.AddRange([64, 64]);
        graph.Initializer[0].ExternalData[2].Value = (64 * 64 * 4).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var data = new FileStream(Path.Combine(dir, "weights.bin"), FileMode.CreateNew))
        {
            data.SetLength(16 * Elements * 4); // sparse: no block is written
        }

        string source = TinyModels.Save(model, dir, "m.onnx");
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available > 30L << 30) Assert.Inconclusive($"this machine can give {available >> 30} GB: 32 GB of claims would fit");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.ThrowsExactly<CompressionException>(() => ModelCompressor.Compress(source, Path.Combine(dir, "out.onnx"), new CompressionSettings { Quantize = QuantizationType.Int8 }));
        Assert.AreEqual(DiagnosticCodes.OutOfMemory, e.Code, e.Message);
        Assert.IsLessThan(30.0, clock.Elapsed.TotalSeconds, "fails fast, before reading the data");
    }
}
