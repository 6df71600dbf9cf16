using System.Globalization;
using Compression.Onnx.Tensors;
using Google.Protobuf;
using Onnx;

namespace Compression.Onnx.IO;

/// <summary>Writes a model to a file (atomically, with external data when needed) or a stream.</summary>
internal static class ModelWriter
{
    /// <summary>Protobuf cannot serialise a message of 2 GB or more; keep a margin for the graph itself.</summary>
    internal const long InlineLimit = int.MaxValue - (64L << 20);

    /// <summary>Tensors of at least this size start on a page boundary in the data file, so runtimes can map them directly.</summary>
    private const long PageAlignThreshold = 1 << 20;

    private const int PageSize = 4096;

    private const int SmallAlignment = 16;

    public static void Save(OnnxModel model, string path, ModelSaveOptions options)
    {
        List<TensorProto> tensors = ModelTensors.Collect(model.Proto, model.FilePath);
        long payload = 0;
        bool hasExternal = false;
        foreach (TensorProto tensor in tensors)
        {
            payload += PayloadBytes(tensor, model);
            hasExternal |= TensorData.IsExternal(tensor);
        }

        bool external = options.ExternalData switch
        {
            ExternalDataMode.Always => true,
            ExternalDataMode.Never => false,
            _ => hasExternal || payload > options.InlineLimit,
        };
        if (!external && payload > options.InlineLimit)
        {
            throw ModelErrors.TooLargeForSingleFile(path, payload);
        }

        string dataFileName = options.ExternalDataFileName ?? Path.GetFileName(path) + ".data";
        if (external && (dataFileName.Length == 0 || dataFileName.IndexOfAny(['/', '\\', ':']) >= 0 || dataFileName is "." or ".."))
        {
            throw new ArgumentException($"ExternalDataFileName '{dataFileName}' must be a plain file name.", nameof(options));
        }

        AtomicFile? modelFile = null;
        AtomicFile? dataFile = null;
        try
        {
            modelFile = new AtomicFile(path);
            ModelProto toWrite = model.Proto;
            if (external)
            {
                dataFile = new AtomicFile(Path.Combine(Path.GetDirectoryName(path)!, dataFileName));
                (toWrite, int written) = WithExternalData(model, dataFile.Stream, dataFileName, options);
                if (written == 0)
                {
                    // Every tensor stayed inline: no data file (disposing the temp file deletes it).
                    dataFile.Dispose();
                    dataFile = null;
                }
            }
            else if (hasExternal)
            {
                toWrite = WithInlineData(model, tensors);
            }

            toWrite.WriteTo(modelFile.Stream);
            modelFile.Close();
            // Data first: a model file must never point at data that is not there yet.
            dataFile?.Commit();
            modelFile.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ModelErrors.SaveFailed(path, e);
        }
        finally
        {
            dataFile?.Dispose();
            modelFile?.Dispose();
        }
    }

    public static void WriteInline(OnnxModel model, Stream stream)
    {
        List<TensorProto> tensors = ModelTensors.Collect(model.Proto, model.FilePath);
        bool hasExternal = tensors.Exists(TensorData.IsExternal);
        (hasExternal ? WithInlineData(model, tensors) : model.Proto).WriteTo(stream);
    }

    private static ModelProto WithInlineData(OnnxModel model, List<TensorProto> originals)
    {
        // A deep clone shares the (immutable) ByteStrings, so it costs the tree, not the weights.
        ModelProto copy = model.Proto.Clone();
        List<TensorProto> copies = ModelTensors.Collect(copy, model.FilePath);
        for (int i = 0; i < originals.Count; i++)
        {
            if (TensorData.IsExternal(originals[i]))
            {
                ReadOnlyMemory<byte> bytes = model.GetExternalBytes(originals[i]);
                TensorData.ClearValues(copies[i]);
                copies[i].RawData = UnsafeByteOperations.UnsafeWrap(bytes);
            }
        }

        return copy;
    }

    private static (ModelProto Model, int Written) WithExternalData(OnnxModel model, Stream data, string location, ModelSaveOptions options)
    {
        int written = 0;
        var sites = new List<ModelTensors.Site>();
        List<TensorProto> originals = ModelTensors.Collect(model.Proto, model.FilePath, sites);
        long threshold = Math.Max(options.ExternalDataThreshold, 1);
        ModelProto copy = model.Proto.Clone();
        List<TensorProto> copies = ModelTensors.Collect(copy, model.FilePath);
        long offset = 0;
        for (int i = 0; i < originals.Count; i++)
        {
            TensorProto original = originals[i];
            bool eligible = sites[i] == ModelTensors.Site.Initializer || options.ExternalizeAttributeTensors;
            if (!eligible || ElementTypes.GetBitsPerElement(original.DataType) == 0 || PayloadBytes(original, model) < threshold)
            {
                if (TensorData.IsExternal(original))
                {
                    // Not written to the data file (small, unsized or not eligible): inline it.
                    ReadOnlyMemory<byte> inline = model.GetExternalBytes(original);
                    TensorData.ClearValues(copies[i]);
                    copies[i].RawData = UnsafeByteOperations.UnsafeWrap(inline);
                }

                continue;
            }

            ReadOnlyMemory<byte> bytes = TensorData.GetRawBytes(original, model);
            long alignment = bytes.Length >= PageAlignThreshold ? PageSize : SmallAlignment;
            long padding = (alignment - (offset % alignment)) % alignment;
            if (padding > 0)
            {
                data.Write(new byte[padding]);
                offset += padding;
            }

            data.Write(bytes.Span);
            TensorProto target = copies[i];
            TensorData.ClearValues(target);
            target.DataLocation = TensorProto.Types.DataLocation.External;
            target.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
            target.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(CultureInfo.InvariantCulture) });
            target.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = bytes.Length.ToString(CultureInfo.InvariantCulture) });
            offset += bytes.Length;
            written++;
        }

        return (copy, written);
    }

    /// <summary>The bytes a tensor's values take (external, raw or an estimate for typed fields).</summary>
    private static long PayloadBytes(TensorProto tensor, OnnxModel model)
    {
        if (TensorData.IsExternal(tensor))
        {
            return model.GetExternalBytes(tensor).Length;
        }

        if (tensor.HasRawData)
        {
            return tensor.RawData.Length;
        }

        return (tensor.FloatData.Count * 4L) + (tensor.Int32Data.Count * 4L) + (tensor.Int64Data.Count * 8L)
            + (tensor.DoubleData.Count * 8L) + (tensor.Uint64Data.Count * 8L) + StringBytes(tensor);
    }

    private static long StringBytes(TensorProto tensor)
    {
        long total = 0;
        foreach (ByteString value in tensor.StringData)
        {
            total += value.Length;
        }

        return total;
    }
}
