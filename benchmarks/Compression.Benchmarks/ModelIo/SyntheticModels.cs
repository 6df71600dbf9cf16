using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Google.Protobuf;
using Onnx;

namespace Compression.Benchmarks.ModelIo;

/// <summary>Builds the synthetic models the IO benchmarks load and save.</summary>
internal static class SyntheticModels
{
    /// <summary>A chain of Add nodes, one float initializer of <paramref name="elementsPerTensor"/> elements each.</summary>
    public static ModelProto Chain(int tensors, int elementsPerTensor, int seed)
    {
        var random = new Random(seed);
        var graph = new GraphProto { Name = "synthetic" };
        graph.Input.Add(Value("x0", elementsPerTensor));
        for (int i = 0; i < tensors; i++)
        {
            var bytes = new byte[elementsPerTensor * sizeof(float)];
            random.NextBytes(bytes);
            // Keep the values finite: clear the top exponent bit of every float.
            for (int b = 3; b < bytes.Length; b += 4)
            {
                bytes[b] &= 0xBF;
            }

            string name = "w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            graph.Initializer.Add(TensorData.CreateFromRawBytes(name, (int)TensorProto.Types.DataType.Float, [elementsPerTensor], bytes));
            var node = new NodeProto { OpType = "Add", Name = "add" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            node.Input.Add("x" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            node.Input.Add(name);
            node.Output.Add("x" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            graph.Node.Add(node);
        }

        graph.Output.Add(Value("x" + tensors.ToString(System.Globalization.CultureInfo.InvariantCulture), elementsPerTensor));
        var model = new ModelProto { IrVersion = 8, Graph = graph, ProducerName = "Compression.Benchmarks" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model;
    }

    /// <summary>
    /// A scratch folder under <c>CMP_BENCH_DIR</c> (for example <c>/dev/shm</c>, to measure the code rather
    /// than a shared disk's write-back) or the system temp folder.
    /// </summary>
    public static string CreateWorkFolder(string prefix)
    {
        string? root = Environment.GetEnvironmentVariable("CMP_BENCH_DIR");
        string folder = Path.Combine(string.IsNullOrEmpty(root) ? Path.GetTempPath() : root, prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static void Write(ModelProto model, string path)
    {
        using FileStream stream = File.Create(path);
        model.WriteTo(stream);
    }

    public static void WriteExternal(ModelProto model, string path)
    {
        using OnnxModel wrapped = OnnxModel.FromProto(model);
        wrapped.Save(path, new ModelSaveOptions { ExternalData = ExternalDataMode.Always });
    }

    private static ValueInfoProto Value(string name, long size)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } },
        };
    }
}
