using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.IO;

/// <summary>
/// A loaded ONNX model: the protobuf tree (<see cref="Proto"/>) plus the external-data files it
/// refers to, kept memory-mapped until <see cref="Dispose"/>. Load with <see cref="Load(string, ModelLoadOptions?)"/>,
/// change <see cref="Proto"/> (directly or through <c>Compression.Onnx.Graph</c>), save with <see cref="Save(string, ModelSaveOptions?)"/>.
/// </summary>
/// <remarks>
/// Not thread-safe for edits. Reading tensors from several threads is safe once the model is loaded, except
/// for external tensors created after loading (they are resolved on first use).
/// </remarks>
public sealed class OnnxModel : IDisposable, ITensorOwner
{
    private ExternalDataStore? _externalData;
    private bool _disposed;

    private OnnxModel(ModelProto proto, string? filePath, string? baseDirectory, ExternalDataStore? externalData)
    {
        Proto = proto;
        FilePath = filePath;
        BaseDirectory = baseDirectory;
        _externalData = externalData;
    }

    /// <summary>The protobuf tree of the model; passes edit it in place.</summary>
    public ModelProto Proto { get; }

    /// <summary>The full path the model was loaded from, or <see langword="null"/> for a stream or an in-memory model.</summary>
    public string? FilePath { get; }

    /// <summary>The folder external-data locations are relative to, or <see langword="null"/>.</summary>
    public string? BaseDirectory { get; }

    /// <summary>
    /// Loads a model from a file. External data is checked (paths stay inside the model's folder,
    /// offsets and lengths inside the files) and memory-mapped, not read.
    /// </summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="options">Reader limits; <see langword="null"/> for the defaults.</param>
    /// <exception cref="CompressionException">A <c>CMP10xx</c> code for a missing, corrupt, unsafe or non-ONNX file.</exception>
    public static OnnxModel Load(string path, ModelLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        ModelProto proto = ModelReader.ReadFile(fullPath, options ?? ModelLoadOptions.Default);
        return Attach(proto, fullPath, Path.GetDirectoryName(fullPath));
    }

    /// <summary>Loads a model from a stream (read to its end; not disposed).</summary>
    /// <param name="stream">The model bytes.</param>
    /// <param name="baseDirectory">The folder of the model's external-data files, or <see langword="null"/> when it has none.</param>
    /// <param name="options">Reader limits; <see langword="null"/> for the defaults.</param>
    public static OnnxModel Load(Stream stream, string? baseDirectory, ModelLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ModelProto proto = ModelReader.Read(stream, options ?? ModelLoadOptions.Default);
        return Attach(proto, null, baseDirectory is null ? null : Path.GetFullPath(baseDirectory));
    }

    /// <summary>Wraps a model built in memory.</summary>
    /// <param name="proto">The model.</param>
    /// <param name="baseDirectory">The folder its external-data locations are relative to, if it has any.</param>
    public static OnnxModel FromProto(ModelProto proto, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(proto);
        return Attach(proto, null, baseDirectory is null ? null : Path.GetFullPath(baseDirectory));
    }

    /// <summary>
    /// Saves the model atomically: everything is written to temporary files in the destination
    /// folder and renamed into place, so a failure leaves no partial output. External data is
    /// written per <see cref="ModelSaveOptions.ExternalData"/>; the in-memory model is not changed.
    /// </summary>
    /// <param name="path">The destination <c>.onnx</c> file (replaced if it exists).</param>
    /// <param name="options">External-data choices; <see langword="null"/> for the defaults.</param>
    /// <exception cref="CompressionException"><c>CMP1020</c> when writing fails, <c>CMP1021</c> when too large for one file.</exception>
    public void Save(string path, ModelSaveOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ModelWriter.Save(this, Path.GetFullPath(path), options ?? ModelSaveOptions.Default);
    }

    /// <summary>Writes the model as one protobuf message to a stream (external data is inlined).</summary>
    /// <param name="stream">The destination; not disposed.</param>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ModelWriter.WriteInline(this, stream);
    }

    /// <summary>Releases the memory-mapped external-data files; tensors read from them must not be used afterwards.</summary>
    public void Dispose()
    {
        _disposed = true;
        _externalData?.Dispose();
        _externalData = null;
    }

    /// <inheritdoc />
    ReadOnlyMemory<byte> ITensorOwner.GetExternalBytes(TensorProto tensor) => GetExternalBytes(tensor);

    /// <summary>The bytes of an external tensor of this model (mapped, not copied).</summary>
    internal ReadOnlyMemory<byte> GetExternalBytes(TensorProto tensor)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_externalData is null)
        {
            if (BaseDirectory is null)
            {
                throw ExternalDataErrors.NeedsBaseDirectory(tensor);
            }

            _externalData = new ExternalDataStore(BaseDirectory, FilePath);
        }

        return _externalData.GetBytes(tensor);
    }

    private static OnnxModel Attach(ModelProto proto, string? filePath, string? baseDirectory)
    {
        ExternalDataStore? store = null;
        try
        {
            foreach (TensorProto tensor in ModelTensors.Collect(proto, filePath))
            {
                TensorValidation.Check(tensor, filePath);
                if (Tensors.TensorData.IsExternal(tensor))
                {
                    if (baseDirectory is null)
                    {
                        throw ExternalDataErrors.NeedsBaseDirectory(tensor);
                    }

                    store ??= new ExternalDataStore(baseDirectory, filePath);
                    store.Register(tensor);
                }
            }

            return new OnnxModel(proto, filePath, baseDirectory, store);
        }
        catch
        {
            store?.Dispose();
            throw;
        }
    }
}
