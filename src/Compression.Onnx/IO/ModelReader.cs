using System.IO.MemoryMappedFiles;
using Google.Protobuf;
using Onnx;

namespace Compression.Onnx.IO;

/// <summary>Parses ONNX protobuf bytes with explicit limits and turns every failure into a coded error.</summary>
internal static class ModelReader
{
    /// <summary>Highest IR version accepted as plausible; current ONNX is 11, this leaves room for the future without accepting junk.</summary>
    private const long MaxPlausibleIrVersion = 1000;

    public static ModelProto ReadFile(string path, ModelLoadOptions options)
    {
        // A FIFO or device would block or never end: only regular files (or links to them) are models.
        if (FileFacts.Inspect(path, followLinks: true).IsRegularFile == false)
        {
            throw ModelErrors.FileNotFound(path, null);
        }

        FileStream stream;
        try
        {
            // A large buffer: the parser asks for many small reads; bytes fields are read straight into their arrays.
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ModelErrors.FileNotFound(path, e);
        }

        using (stream)
        {
            if (stream.Length > int.MaxValue)
            {
                throw ModelErrors.TooLarge(path, stream.Length);
            }

            if (options.RecursionLimit != ModelLoadOptions.DefaultRecursionLimit || stream.Length == 0)
            {
                // Only the stream reader takes a custom recursion limit; it copies large fields in chunks.
                return ReadStream(stream, path, options);
            }

            return ReadMapped(stream, 0, path);
        }
    }

    /// <summary>Reads a model from a stream; a seekable file stream is memory-mapped like a path.</summary>
    public static ModelProto Read(Stream stream, ModelLoadOptions options)
    {
        if (stream is FileStream { CanSeek: true } file && options.RecursionLimit == ModelLoadOptions.DefaultRecursionLimit
            && file.Length - file.Position is > 0 and <= int.MaxValue)
        {
            ModelProto model = ReadMapped(file, file.Position, null);
            file.Seek(0, SeekOrigin.End);
            return model;
        }

        return ReadStream(stream, null, options);
    }

    /// <summary>
    /// Parses straight from a read-only memory map of the file: the file itself never enters the managed
    /// heap, so a model costs one copy of its fields (protobuf copies every bytes field) and no more.
    /// The span parser applies protobuf's built-in recursion limit (100, not settable there), which is our default; the recursion-bomb tests pin that down.
    /// </summary>
    private static unsafe ModelProto ReadMapped(FileStream stream, long offset, string? path)
    {
        ModelProto model;
        int length = checked((int)(stream.Length - offset));
        using (var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true))
        using (MemoryMappedViewAccessor view = map.CreateViewAccessor(0, stream.Length, MemoryMappedFileAccess.Read))
        {
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            try
            {
                model = Parse(() => ModelProto.Parser.ParseFrom(new ReadOnlySpan<byte>(pointer + view.PointerOffset + offset, length)), path);
            }
            finally
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
        }

        return CheckIsOnnx(model, path);
    }

    public static ModelProto ReadStream(Stream stream, string? path, ModelLoadOptions options)
    {
        ModelProto model = Parse(
            () =>
            {
                using var input = CodedInputStream.CreateWithLimits(stream, int.MaxValue, options.RecursionLimit);
                return ModelProto.Parser.ParseFrom(input);
            },
            path);
        return CheckIsOnnx(model, path);
    }

    private static ModelProto Parse(Func<ModelProto> parse, string? path)
    {
        try
        {
            return parse();
        }
        catch (InvalidProtocolBufferException e) when (e.Message.Contains("recursion", StringComparison.OrdinalIgnoreCase))
        {
            throw ModelErrors.NestingTooDeep(path, e);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw ModelErrors.Unreadable(path, e);
        }
        catch (IOException e)
        {
            throw ModelErrors.Unreadable(path, e);
        }
    }

    private static ModelProto CheckIsOnnx(ModelProto model, string? path)
    {
        if (!model.HasIrVersion || model.IrVersion < 1 || model.IrVersion > MaxPlausibleIrVersion)
        {
            throw ModelErrors.NotOnnx(path, model.HasIrVersion ? $"its IR version {model.IrVersion} is not a valid ONNX IR version" : "it has no IR version");
        }

        if (model.Graph is null)
        {
            throw ModelErrors.NotOnnx(path, "it has no graph");
        }

        return model;
    }
}
