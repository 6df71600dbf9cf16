using System.IO.Compression;
using Compression.Onnx.IO;

namespace Compression.Onnx.Pruning;

/// <summary>
/// Sizes of a model as it ships: the serialized protobuf, and that file deflate-compressed (what a NuGet
/// package or an app bundle stores), where the zeros of a pruned dense model pay off.
/// </summary>
public static class ModelSize
{
    /// <summary>The serialized size and the deflate-compressed size (optimal level) of <paramref name="model"/>.</summary>
    /// <param name="model">The model (external data is not counted).</param>
    public static (long Serialized, long Deflated) Measure(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var serialized = new MemoryStream();
        model.WriteTo(serialized);
        return (serialized.Length, Deflated(serialized.GetBuffer().AsSpan(0, (int)serialized.Length)));
    }

    /// <summary>The deflate-compressed size (optimal level) of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">Any bytes, for example a model file.</param>
    public static long Deflated(ReadOnlySpan<byte> bytes)
    {
        var counter = new CountingStream();
        using (var deflate = new DeflateStream(counter, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(bytes);
        }

        return counter.Length;
    }

    /// <summary>A write-only sink that only counts, so measuring needs no second buffer.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
