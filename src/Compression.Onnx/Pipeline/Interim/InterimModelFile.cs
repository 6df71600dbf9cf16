using Google.Protobuf;
using Onnx;

namespace Compression.Onnx.Pipeline;

// Interim model load/save until the io branch's OnnxModel lands on main (then this folder is deleted).
internal static class InterimModelFile
{
    public static ModelProto Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return ModelProto.Parser.WithDiscardUnknownFields(false).ParseFrom(CodedInputStream.CreateWithLimits(stream, int.MaxValue, 200));
        }
        catch (Exception e) when (e is IOException or InvalidProtocolBufferException or UnauthorizedAccessException)
        {
            throw new CompressionException("CMP1002", $"Cannot read the model: {e.Message}", path, "Check that the file is a complete ONNX model.", e);
        }
    }

    public static void Save(ModelProto model, string path)
    {
        using var stream = File.Create(path);
        model.WriteTo(stream);
    }
}
