using Google.Protobuf;
using Onnx;

namespace Compression.Tasks.Tests.Infrastructure;

/// <summary>Writes inputs in the ONNX test-data layout (<c>test_data_set_N/input_M.pb</c>, serialized TensorProto).</summary>
internal static class TestDataSets
{
    /// <summary>Realistic Silero VAD inputs: a 512-sample 16 kHz window (a tone), a zero state, the sample rate.</summary>
    public static void WriteSileroVad(string folder, int sets)
    {
        for (int set = 0; set < sets; set++)
        {
            var window = new float[512];
            for (int i = 0; i < window.Length; i++)
            {
                window[i] = 0.3f * MathF.Sin(2 * MathF.PI * (220 + 110 * set) * i / 16000f);
            }

            string directory = Path.Combine(folder, "test_data_set_" + set);
            Directory.CreateDirectory(directory);
            Write(Path.Combine(directory, "input_0.pb"), Floats("input", window, 1, 512));
            Write(Path.Combine(directory, "input_1.pb"), Floats("state", new float[2 * 128], 2, 1, 128));
            var sampleRate = new TensorProto { Name = "sr", DataType = (int)TensorProto.Types.DataType.Int64 };
            sampleRate.Int64Data.Add(16000);
            Write(Path.Combine(directory, "input_2.pb"), sampleRate);
        }
    }

    private static TensorProto Floats(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        byte[] raw = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        tensor.RawData = ByteString.CopyFrom(raw);
        return tensor;
    }

    private static void Write(string path, TensorProto tensor) => File.WriteAllBytes(path, tensor.ToByteArray());
}
