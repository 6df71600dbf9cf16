using System.Diagnostics;
using System.Runtime.InteropServices;
using Compression.Onnx.Calibration;
using Compression.Onnx.Tests.Corpus;
using Compression.Onnx.Tests.Pipeline;
using Compression.Testing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Onnx.Tests.Calibration;

/// <summary>The .npy reader: format versions, dtypes, and the layouts it refuses with coded errors.</summary>
[TestClass]
public sealed class NpyReaderTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    public void Every_format_version_reads_shape_and_values(int major)
    {
        float[] values = [1.5f, -2, 3, float.NaN, 0, -0.25f];
        var tensor = NpyReader.Parse(NpyFiles.Floats([2, 3], values, major), "x.npy", "x", "CalibrationData");
        Assert.AreEqual(TensorElementType.Float, tensor.ElementType);
        CollectionAssert.AreEqual(new long[] { 2, 3 }, tensor.Shape);
        CollectionAssert.AreEqual(values, (float[])tensor.Data);
    }

    [TestMethod]
    public void Scalars_and_one_dimensional_shapes_follow_the_tuple_syntax()
    {
        var scalar = NpyReader.Parse(NpyFiles.Bytes("<i8", [], MemoryMarshal.AsBytes(new long[] { 16000 }.AsSpan())), "sr.npy", "sr", "ValidationData");
        Assert.IsEmpty(scalar.Shape);
        Assert.AreEqual(16000L, ((long[])scalar.Data)[0]);
        var vector = NpyReader.Parse(NpyFiles.Bytes("|u1", [3], [7, 8, 9]), "v.npy", "v", "ValidationData");
        CollectionAssert.AreEqual(new long[] { 3 }, vector.Shape);
        CollectionAssert.AreEqual(new byte[] { 7, 8, 9 }, (byte[])vector.Data);
    }

    [TestMethod]
    public void Fortran_order_and_big_endian_are_refused_with_CMP4206()
    {
        var fortran = Assert.ThrowsExactly<CompressionException>(() =>
            NpyReader.Parse(NpyFiles.Bytes("<f4", [2, 2], new byte[16], fortran: true), "f.npy", "x", "CalibrationData"));
        Assert.AreEqual(DiagnosticCodes.NpyLayoutUnsupported, fortran.Code);
        Assert.Contains("Fortran", fortran.Message);
        Assert.AreEqual("f.npy", fortran.FilePath);

        var big = Assert.ThrowsExactly<CompressionException>(() => NpyReader.Parse(NpyFiles.Bytes(">f4", [2], new byte[8]), "b.npy", "x", "CalibrationData"));
        Assert.AreEqual(DiagnosticCodes.NpyLayoutUnsupported, big.Code);
        var complex = Assert.ThrowsExactly<CompressionException>(() => NpyReader.Parse(NpyFiles.Bytes("<c8", [2], new byte[16]), "c.npy", "x", "CalibrationData"));
        Assert.AreEqual(DiagnosticCodes.NpyLayoutUnsupported, complex.Code);
    }

    [TestMethod]
    public void Truncated_or_corrupt_files_are_CMP4202_naming_file_and_input()
    {
        byte[] good = NpyFiles.Floats([4], [1, 2, 3, 4]);
        var truncated = Assert.ThrowsExactly<CompressionException>(() => NpyReader.Parse(good.AsSpan(0, good.Length - 1), "t.npy", "speech", "CalibrationData"));
        Assert.AreEqual(DiagnosticCodes.SampleFileCorrupt, truncated.Code);
        Assert.Contains("'speech'", truncated.Message);
        Assert.AreEqual("t.npy", truncated.FilePath);

        byte[] notNpy = "PK\x03\x04 a zip file"u8.ToArray();
        Assert.AreEqual(DiagnosticCodes.SampleFileCorrupt, Assert.ThrowsExactly<CompressionException>(() => NpyReader.Parse(notNpy, "z.npy", "x", "CalibrationData")).Code);
        byte[] badHeader = NpyFiles.Bytes("<f4", [1], new byte[4], headerOverride: "{'descr': '<f4', 'shape': (1,)}");
        Assert.AreEqual(DiagnosticCodes.SampleFileCorrupt, Assert.ThrowsExactly<CompressionException>(() => NpyReader.Parse(badHeader, "h.npy", "x", "CalibrationData")).Code);
        byte[] structured = NpyFiles.Bytes("<f4", [1], new byte[8], headerOverride: "{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, 'shape': (1,), }");
        Assert.AreEqual(DiagnosticCodes.SampleFileCorrupt, Assert.ThrowsExactly<CompressionException>(() => NpyReader.Parse(structured, "s.npy", "x", "CalibrationData")).Code);
    }

    [TestMethod]
    public void Files_written_by_numpy_read_back_exactly()
    {
        if (!Requirement.Require(NumpyAvailable(), "/usr/bin/python3 with numpy (python3-onnx brings it)")) return;
        string dir = PassTestFiles.NewTempDirectory();
        // One file per dtype, including a v2.0 file (numpy picks 2.0 only for huge headers, so it is forced).
        string script = $$"""
            import numpy as np, numpy.lib.format as f
            d = r'{{dir}}'
            np.save(d + '/f4.npy', np.arange(12, dtype=np.float32).reshape(3, 4) / 7)
            np.save(d + '/f8.npy', np.array([[1e300, -2.5]]))
            np.save(d + '/f2.npy', np.array([0.5, -1, 65504], dtype=np.float16))
            np.save(d + '/i8.npy', np.array([16000, -1], dtype=np.int64))
            np.save(d + '/b1.npy', np.array([True, False, True]))
            np.save(d + '/t.npy', np.arange(6, dtype=np.int32).reshape(2, 3).T.copy())
            with open(d + '/v2.npy', 'wb') as h:
                a = np.arange(5, dtype=np.uint8)
                f.write_array(h, a, version=(2, 0))
            """;
        RunPython(script);
        CollectionAssert.AreEqual(Enumerable.Range(0, 12).Select(i => (float)(i / 7.0)).ToArray(), (float[])Read(dir, "f4").Data);
        CollectionAssert.AreEqual(new long[] { 3, 4 }, Read(dir, "f4").Shape);
        CollectionAssert.AreEqual(new[] { 1e300, -2.5 }, (double[])Read(dir, "f8").Data);
        CollectionAssert.AreEqual(new[] { 0.5f, -1f, 65504f }, ((Float16[])Read(dir, "f2").Data).Select(h => (float)h).ToArray());
        CollectionAssert.AreEqual(new long[] { 16000, -1 }, (long[])Read(dir, "i8").Data);
        CollectionAssert.AreEqual(new[] { true, false, true }, (bool[])Read(dir, "b1").Data);
        CollectionAssert.AreEqual(new[] { 0, 3, 1, 4, 2, 5 }, (int[])Read(dir, "t").Data);
        CollectionAssert.AreEqual(new byte[] { 0, 1, 2, 3, 4 }, (byte[])Read(dir, "v2").Data);
    }

    private static Onnx.Calibration.InputTensor Read(string dir, string stem) => NpyReader.Read(Path.Combine(dir, stem + ".npy"), stem, "CalibrationData");

    private static bool NumpyAvailable()
    {
        try
        {
            RunPython("import numpy");
            return true;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }

    private static void RunPython(string script)
    {
        var start = new ProcessStartInfo(Corpus.PythonOnnxChecker.Python) { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(script.Replace("\n            ", "\n", StringComparison.Ordinal));
        process.StandardInput.Close();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException(error);
    }
}
