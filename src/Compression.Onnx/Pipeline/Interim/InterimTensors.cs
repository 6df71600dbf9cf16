using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Compression.Onnx.Quantization;

// Interim float tensor reader until the io branch's TensorData lands on main (then this folder is deleted).
internal static class InterimTensors
{
    public static long Count(TensorProto t)
    {
        long n = 1;
        foreach (long d in t.Dims) n *= d;
        return n;
    }

    public static float[] ReadFloats(TensorProto t)
    {
        var n = (int)Count(t);
        if (t.DataType != (int)TensorProto.Types.DataType.Float) throw new InvalidOperationException($"Tensor '{t.Name}' is not float.");
        if (!t.RawData.IsEmpty) return MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray();
        var r = new float[n];
        t.FloatData.CopyTo(r, 0);
        return r;
    }

    public static long[] ReadInt64s(TensorProto t)
    {
        if (!t.RawData.IsEmpty) return MemoryMarshal.Cast<byte, long>(t.RawData.Span).ToArray();
        return [.. t.Int64Data];
    }

    public static ByteString Bytes<T>(ReadOnlySpan<T> values) where T : struct => ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
}
