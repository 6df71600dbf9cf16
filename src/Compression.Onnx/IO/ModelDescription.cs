using Onnx;

namespace Compression.Onnx.IO;

/// <summary>
/// What a build needs to know about a source model without touching its tensors: its signature (for the
/// generated class), the external data files it consists of besides the <c>.onnx</c> file (inputs of
/// incremental builds) and its total size.
/// </summary>
/// <param name="Signature">Inputs and outputs; a compressed model keeps them.</param>
/// <param name="ExternalDataFiles">The external data files its tensors point to: absolute, sorted, each once.</param>
/// <param name="Bytes">Size of the model file and its (existing) external data files.</param>
public sealed record ModelDescription(ModelSignature Signature, IReadOnlyList<string> ExternalDataFiles, long Bytes)
{
    /// <summary>Loads <paramref name="path"/> (tensor data is not read) and describes it.</summary>
    /// <param name="path">An ONNX model.</param>
    /// <exception cref="CompressionException">The model cannot be read (CMP1xxx).</exception>
    public static ModelDescription Read(string path)
    {
        using OnnxModel model = OnnxModel.Load(path);
        return Of(model, path);
    }

    /// <summary>Describes a loaded model; call before any pass rewrites its tensors.</summary>
    internal static ModelDescription Of(OnnxModel model, string path)
    {
        string baseDirectory = model.BaseDirectory ?? Path.GetDirectoryName(Path.GetFullPath(path))!;
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (TensorProto tensor in ModelTensors.Collect(model.Proto, path))
        {
            if (tensor.DataLocation != TensorProto.Types.DataLocation.External)
            {
                continue;
            }

            foreach (StringStringEntryProto entry in tensor.ExternalData)
            {
                if (entry.Key == "location")
                {
                    files.Add(Path.GetFullPath(Path.Combine(baseDirectory, entry.Value)));
                }
            }
        }

        long bytes = new FileInfo(path).Length + files.Where(File.Exists).Sum(f => new FileInfo(f).Length);
        return new ModelDescription(ModelSignature.Read(model), [.. files], bytes);
    }
}
