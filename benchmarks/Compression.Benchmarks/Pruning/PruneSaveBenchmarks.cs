using BenchmarkDotNet.Attributes;
using Compression.Onnx.IO;
using Compression.Onnx.Pruning;
using Compression.Onnx.Tensors;
using Google.Protobuf;
using Onnx;

namespace Compression.Benchmarks.Pruning;

/// <summary>Load + prune + save of a 64 MB MLP (16 MatMul layers of 1024x1024) against load + save alone. Goal: within 2x.</summary>
[Config(typeof(ShortInProcessConfig))]
public class PruneSaveBenchmarks
{
    private string _folder = string.Empty;
    private string _model = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("cmp-bench-prune-").FullName;
        _model = Path.Combine(_folder, "mlp.onnx");
        var random = new Random(3);
        var graph = new GraphProto { Name = "mlp" };
        graph.Input.Add(new ValueInfoProto { Name = "x0" });
        for (int i = 0; i < 16; i++)
        {
            float[] w = new float[1024 * 1024];
            for (int j = 0; j < w.Length; j++)
            {
                w[j] = (float)((random.NextDouble() * 2) - 1);
            }

            string name = $"w{i}";
            graph.Initializer.Add(TensorData.CreateFloat(name, [1024, 1024], w));
            var node = new NodeProto { OpType = "MatMul", Name = $"mm{i}" };
            node.Input.Add($"x{i}");
            node.Input.Add(name);
            node.Output.Add($"x{i + 1}");
            graph.Node.Add(node);
        }

        graph.Output.Add(new ValueInfoProto { Name = "x16" });
        var model = new ModelProto { IrVersion = 8, Graph = graph, ProducerName = "Compression.Benchmarks" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        using FileStream stream = File.Create(_model);
        model.WriteTo(stream);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true, Description = "load + save (64 MB)")]
    public void LoadSave()
    {
        using OnnxModel model = OnnxModel.Load(_model);
        model.Save(Path.Combine(_folder, "saved.onnx"));
    }

    [Benchmark(Description = "load + Unstructured 50% + save")]
    public void LoadPruneSave()
    {
        using OnnxModel model = OnnxModel.Load(_model);
        new MagnitudePruner(0.5).Prune(model);
        model.Save(Path.Combine(_folder, "pruned.onnx"));
    }

    [Benchmark(Description = "load + Global 50% + save")]
    public void LoadGlobalPruneSave()
    {
        using OnnxModel model = OnnxModel.Load(_model);
        new MagnitudePruner(0.5, global: true).Prune(model);
        model.Save(Path.Combine(_folder, "pruned_global.onnx"));
    }
}
