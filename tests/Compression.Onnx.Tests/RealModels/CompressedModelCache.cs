using System.Collections.Concurrent;
using Compression.Onnx.Tests.Pipeline;

namespace Compression.Onnx.Tests.RealModels;

/// <summary>Compresses each (model, settings) once per test run; several tests then measure the same output.</summary>
internal static class CompressedModelCache
{
    private static readonly ConcurrentDictionary<string, Lazy<(string Path, CompressionReport Report)>> Cache = new(StringComparer.Ordinal);
    private static readonly Lazy<string> Folder = new(PassTestFiles.NewTempDirectory);

    public static (string Path, CompressionReport Report) Get(string source, CompressionSettings settings)
    {
        string key = source + "|" + settings;
        return Cache.GetOrAdd(key, _ => new Lazy<(string, CompressionReport)>(() =>
        {
            string output = Path.Combine(Folder.Value, Path.GetFileNameWithoutExtension(source) + "." + Cache.Count + ".onnx");
            var report = ModelCompressor.Compress(source, output, settings);
            return (output, report);
        })).Value;
    }
}
