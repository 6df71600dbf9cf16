using Compression.Onnx.Graph;
using Compression.Onnx.IO;
using Onnx;

namespace Compression.Tasks.Output;

/// <summary>The files a source model consists of: the <c>.onnx</c> file and the external data files its tensors point to.</summary>
internal static class SourceModelFiles
{
    /// <summary>The external data files of <paramref name="model"/>, absolute, sorted, each once.</summary>
    public static IReadOnlyList<string> ExternalData(OnnxModel model, string modelPath)
    {
        string baseDirectory = model.BaseDirectory ?? Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Weight weight in WeightCatalog.Build(model))
        {
            if (weight.Tensor is { DataLocation: TensorProto.Types.DataLocation.External } tensor)
            {
                foreach (StringStringEntryProto entry in tensor.ExternalData)
                {
                    if (entry.Key == "location")
                    {
                        files.Add(Path.GetFullPath(Path.Combine(baseDirectory, entry.Value)));
                    }
                }
            }
        }

        return [.. files];
    }

    /// <summary>Bytes of the model file and its external data.</summary>
    public static long TotalBytes(string modelPath, IReadOnlyList<string> externalData) =>
        new FileInfo(modelPath).Length + externalData.Where(File.Exists).Sum(f => new FileInfo(f).Length);
}
