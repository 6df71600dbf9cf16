using System.Buffers;
using System.IO.MemoryMappedFiles;
using Onnx;

namespace Compression.Onnx.IO;

/// <summary>
/// The external-data files of one loaded model, memory-mapped read-only so that weights are
/// never copied into the managed heap; tensors get <see cref="ReadOnlyMemory{T}"/> views of them.
/// </summary>
internal sealed class ExternalDataStore : IDisposable
{
    private readonly string _baseDirectory;
    private readonly string? _modelPath;
    private readonly Dictionary<string, MappedFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<TensorProto, (MappedFile File, long Offset, long Length)> _tensors = new(ReferenceEqualityComparer.Instance);

    public ExternalDataStore(string baseDirectory, string? modelPath)
    {
        _baseDirectory = baseDirectory;
        _modelPath = modelPath;
    }

    /// <summary>Resolves, opens and checks the external data of <paramref name="tensor"/> (path safety, bounds, size).</summary>
    public void Register(TensorProto tensor)
    {
        ExternalDataReference reference = ExternalDataReference.Parse(tensor, _modelPath);
        string path = ExternalDataPaths.Resolve(_baseDirectory, reference.Location, _modelPath);
        if (!_files.TryGetValue(path, out MappedFile? file))
        {
            file = MappedFile.Open(path, reference.Location, _modelPath);
            _files.Add(path, file);
        }

        long length = reference.Length ?? (file.Length - Math.Min(reference.Offset, file.Length));
        if (reference.Offset > file.Length || length > file.Length - reference.Offset)
        {
            throw ExternalDataErrors.OutOfRange(_modelPath, tensor, $"offset {reference.Offset} + length {length} passes the end of '{reference.Location}' ({file.Length} bytes)");
        }

        long count = Tensors.TensorData.GetElementCount(tensor.Dims, tensor.Name, _modelPath);
        long expected = Tensors.TensorData.GetByteCount(tensor.DataType, count, tensor.Name, _modelPath);
        if (expected >= 0 && length != expected)
        {
            throw ExternalDataErrors.OutOfRange(_modelPath, tensor, $"length {length} but {count} elements of {Tensors.ElementTypes.GetName(tensor.DataType)} need {expected} bytes");
        }

        if (length > int.MaxValue)
        {
            throw ExternalDataErrors.OutOfRange(_modelPath, tensor, "a single tensor above 2 GB is not supported");
        }

        _tensors[tensor] = (file, reference.Offset, length);
    }

    /// <summary>The bytes of a registered external tensor, straight from the mapped file.</summary>
    public ReadOnlyMemory<byte> GetBytes(TensorProto tensor)
    {
        if (!_tensors.TryGetValue(tensor, out var entry))
        {
            // The tensor was made external after loading (or copied): resolve it now with the same checks.
            Register(tensor);
            entry = _tensors[tensor];
        }

        return entry.File.GetMemory(entry.Offset, (int)entry.Length);
    }

    public void Dispose()
    {
        foreach (MappedFile file in _files.Values)
        {
            file.Dispose();
        }

        _files.Clear();
        _tensors.Clear();
    }

    private sealed unsafe class MappedFile : IDisposable
    {
        private readonly MemoryMappedFile? _map;
        private readonly MemoryMappedViewAccessor? _view;
        private readonly byte* _pointer;

        private MappedFile(MemoryMappedFile? map, MemoryMappedViewAccessor? view, long length)
        {
            _map = map;
            _view = view;
            Length = length;
            if (view is not null)
            {
                byte* pointer = null;
                view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
                _pointer = pointer + view.PointerOffset;
            }
        }

        public long Length { get; }

        public static MappedFile Open(string path, string location, string? modelPath)
        {
            // Inspect before opening: opening a FIFO would block forever, and links are refused anyway.
            FileFacts facts = FileFacts.Inspect(path, followLinks: false);
            if (facts.IsRegularFile == false)
            {
                throw ExternalDataErrors.Missing(modelPath, location, null, "it is not a regular file");
            }

            if (facts.HardLinkCount > 1)
            {
                throw ExternalDataErrors.HardLink(modelPath, location);
            }

            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw ExternalDataErrors.Missing(modelPath, location, e, "it does not exist or cannot be opened");
            }

            try
            {
                if (FileFacts.GetWindowsHardLinkCount(stream.SafeFileHandle) > 1)
                {
                    throw ExternalDataErrors.HardLink(modelPath, location);
                }

                long length = stream.Length;
                if (length == 0)
                {
                    // An empty file cannot be mapped; only empty tensors can point into it.
                    stream.Dispose();
                    return new MappedFile(null, null, 0);
                }

                var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
                MemoryMappedViewAccessor view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
                return new MappedFile(map, view, length);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        public ReadOnlyMemory<byte> GetMemory(long offset, int length) =>
            length == 0 ? ReadOnlyMemory<byte>.Empty : new MappedMemory(_pointer + offset, length).Memory;

        public void Dispose()
        {
            if (_view is not null)
            {
                _view.SafeMemoryMappedViewHandle.ReleasePointer();
                _view.Dispose();
            }

            _map?.Dispose();
        }
    }

    /// <summary>A <see cref="Memory{T}"/> over mapped bytes; valid while the model is not disposed.</summary>
    private sealed unsafe class MappedMemory : MemoryManager<byte>
    {
        private readonly byte* _pointer;
        private readonly int _length;

        public MappedMemory(byte* pointer, int length)
        {
            _pointer = pointer;
            _length = length;
        }

        public override Span<byte> GetSpan() => new(_pointer, _length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
