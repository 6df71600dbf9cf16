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

            return ReadStream(stream, path, options);
        }
    }

    public static ModelProto ReadStream(Stream stream, string? path, ModelLoadOptions options)
    {
        ModelProto model;
        try
        {
            using var input = CodedInputStream.CreateWithLimits(stream, int.MaxValue, options.RecursionLimit);
            model = ModelProto.Parser.ParseFrom(input);
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
