using System.Runtime.InteropServices;
using System.Text;

namespace Compression.Onnx.Tests.Calibration;

/// <summary>Writes .npy files byte by byte as numpy's format spec describes them (magic, version, header length, padded dict, data).</summary>
internal static class NpyFiles
{
    public static byte[] Bytes(string descr, long[] shape, ReadOnlySpan<byte> data, int major = 1, bool fortran = false, string? headerOverride = null)
    {
        string dims = shape.Length == 1 ? shape[0] + "," : string.Join(", ", shape);
        string dict = headerOverride ?? $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': ({dims}), }}";
        int prefix = major == 1 ? 10 : 12;
        // The header is padded with spaces and ends in '\n' so the data starts 64-byte aligned (numpy's writer does this).
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - prefix - 1) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        byte[] encoded = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetBytes(header);
        if (major == 1) bytes.AddRange(BitConverter.GetBytes((ushort)encoded.Length));
        else bytes.AddRange(BitConverter.GetBytes((uint)encoded.Length));
        bytes.AddRange(encoded);
        bytes.AddRange(data.ToArray());
        return [.. bytes];
    }

    public static byte[] Floats(long[] shape, float[] values, int major = 1) => Bytes("<f4", shape, MemoryMarshal.AsBytes(values.AsSpan()), major);

    public static void Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }
}
