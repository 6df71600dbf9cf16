using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Onnx.Calibration;

/// <summary>
/// Reads one numpy <c>.npy</c> file (format versions 1.0, 2.0 and 3.0) into an <see cref="InputTensor"/>: a magic
/// string, a header length (2 bytes in 1.0, 4 in 2.0/3.0), a Python dict literal with <c>descr</c>,
/// <c>fortran_order</c> and <c>shape</c>, then the raw elements. Little-endian (or byte-sized) numeric and bool dtypes
/// in C order are read; Fortran order, big-endian and structured or object dtypes are refused with
/// <see cref="DiagnosticCodes.NpyLayoutUnsupported"/> rather than reinterpreted.
/// </summary>
internal static class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads <paramref name="path"/> as the value of input <paramref name="name"/>.</summary>
    /// <param name="path">The <c>.npy</c> file.</param>
    /// <param name="name">The model input it feeds (for messages and the result).</param>
    /// <param name="setting">The metadata the folder came from (<c>CalibrationData</c>/<c>ValidationData</c>), for messages.</param>
    public static InputTensor Read(string path, string name, string setting)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Corrupt(path, name, setting, "it cannot be read: " + e.Message);
        }

        return Parse(bytes, path, name, setting);
    }

    internal static InputTensor Parse(ReadOnlySpan<byte> bytes, string path, string name, string setting)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
        {
            throw Corrupt(path, name, setting, "it does not start with the .npy magic string \\x93NUMPY");
        }

        int major = bytes[6];
        int headerStart = major == 1 ? 10 : 12;
        if (major is not (1 or 2 or 3) || bytes.Length < headerStart)
        {
            throw Corrupt(path, name, setting, string.Create(CultureInfo.InvariantCulture, $"format version {major}.{bytes[7]} is not 1.0, 2.0 or 3.0"));
        }

        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (headerStart + headerLength > bytes.Length)
        {
            throw Corrupt(path, name, setting, "the header is longer than the file");
        }

        // Version 3.0 only changes the header's encoding (UTF-8 instead of latin-1) so that field names may be non-ASCII.
        var encoding = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
        string header = encoding.GetString(bytes.Slice(headerStart, (int)headerLength));
        NpyHeader parsed;
        try
        {
            parsed = NpyHeader.Parse(header);
        }
        catch (FormatException e)
        {
            throw Corrupt(path, name, setting, "its header is not a valid .npy header dict: " + e.Message);
        }

        if (parsed.FortranOrder)
        {
            throw Unsupported(path, name, setting, "it is stored in Fortran (column-major) order",
                "Save a C-ordered array: np.save(path, np.ascontiguousarray(a)).");
        }

        var (type, size) = DType(parsed.Descr, path, name, setting);
        long count = 1;
        foreach (long d in parsed.Shape)
        {
            count = checked(count * d);
        }

        ReadOnlySpan<byte> data = bytes[(headerStart + (int)headerLength)..];
        long expected = count * size;
        if (data.Length != expected)
        {
            throw Corrupt(path, name, setting, string.Create(CultureInfo.InvariantCulture,
                $"it holds {data.Length} data bytes, but shape ({string.Join(", ", parsed.Shape)}) of dtype '{parsed.Descr}' needs {expected}"));
        }

        return new InputTensor(name, type, parsed.Shape, Elements(type, data));
    }

    private static (TensorElementType Type, int Size) DType(string descr, string path, string name, string setting)
    {
        if (descr.Length < 3 || descr[0] is not ('<' or '>' or '|' or '='))
        {
            throw Unsupported(path, name, setting, $"dtype '{descr}' is not a plain numeric type", "Save a numeric array (float32, int64, ...), not a structured or object array.");
        }

        string kind = descr[1..];
        (TensorElementType Type, int Size)? known = kind switch
        {
            "f4" => (TensorElementType.Float, 4),
            "f8" => (TensorElementType.Double, 8),
            "f2" => (TensorElementType.Float16, 2),
            "i1" => (TensorElementType.Int8, 1),
            "u1" => (TensorElementType.UInt8, 1),
            "i2" => (TensorElementType.Int16, 2),
            "u2" => (TensorElementType.UInt16, 2),
            "i4" => (TensorElementType.Int32, 4),
            "u4" => (TensorElementType.UInt32, 4),
            "i8" => (TensorElementType.Int64, 8),
            "u8" => (TensorElementType.UInt64, 8),
            "b1" => (TensorElementType.Bool, 1),
            _ => null,
        };
        if (known is not { } k)
        {
            throw Unsupported(path, name, setting, $"dtype '{descr}' has no ONNX Runtime tensor type here",
                "Use float32/float64/float16, (u)int8/16/32/64 or bool arrays.");
        }

        // '=' is the writer's native order; numpy writes '<' for it on every little-endian machine, the only kind .NET
        // and ONNX Runtime run on here.
        if (descr[0] == '>' && k.Size > 1)
        {
            throw Unsupported(path, name, setting, $"dtype '{descr}' is big-endian", "Save little-endian data: np.save(path, a.astype(a.dtype.newbyteorder('<'))).");
        }

        return k;
    }

    private static Array Elements(TensorElementType type, ReadOnlySpan<byte> data) => type switch
    {
        TensorElementType.Float => MemoryMarshal.Cast<byte, float>(data).ToArray(),
        TensorElementType.Double => MemoryMarshal.Cast<byte, double>(data).ToArray(),
        TensorElementType.Float16 => MemoryMarshal.Cast<byte, Float16>(data).ToArray(),
        TensorElementType.Int8 => MemoryMarshal.Cast<byte, sbyte>(data).ToArray(),
        TensorElementType.UInt8 => data.ToArray(),
        TensorElementType.Int16 => MemoryMarshal.Cast<byte, short>(data).ToArray(),
        TensorElementType.UInt16 => MemoryMarshal.Cast<byte, ushort>(data).ToArray(),
        TensorElementType.Int32 => MemoryMarshal.Cast<byte, int>(data).ToArray(),
        TensorElementType.UInt32 => MemoryMarshal.Cast<byte, uint>(data).ToArray(),
        TensorElementType.Int64 => MemoryMarshal.Cast<byte, long>(data).ToArray(),
        TensorElementType.UInt64 => MemoryMarshal.Cast<byte, ulong>(data).ToArray(),
        _ => Bools(data),
    };

    private static bool[] Bools(ReadOnlySpan<byte> data)
    {
        var result = new bool[data.Length];
        for (int i = 0; i < data.Length; i++) result[i] = data[i] != 0;
        return result;
    }

    private static CompressionException Corrupt(string path, string name, string setting, string reason) => new(
        DiagnosticCodes.SampleFileCorrupt,
        $"{setting}: the file for input '{name}' cannot be used: {reason}.",
        path,
        "Write the file again with numpy.save (format 1.0-3.0), one array per model input, named after the input: set_0/" + name + ".npy.");

    private static CompressionException Unsupported(string path, string name, string setting, string reason, string help) => new(
        DiagnosticCodes.NpyLayoutUnsupported, $"{setting}: the file for input '{name}' cannot be used: {reason}.", path, help);
}
