using System.Buffers.Binary;

namespace VoiceActivity;

/// <summary>Reads 16-bit PCM mono WAV files: all this sample needs, without an audio library.</summary>
internal static class WaveFile
{
    public static float[] ReadMono16Bit(string path, int expectedSampleRate)
    {
        byte[] bytes = File.ReadAllBytes(path);
        ReadOnlySpan<byte> data = bytes;
        if (data.Length < 12 || !data[..4].SequenceEqual("RIFF"u8) || !data.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"{path} is not a RIFF/WAVE file.");
        }

        int position = 12;
        int channels = 0, sampleRate = 0, bitsPerSample = 0;
        while (position + 8 <= data.Length)
        {
            ReadOnlySpan<byte> id = data.Slice(position, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(position + 4, 4));
            ReadOnlySpan<byte> body = data.Slice(position + 8, Math.Min(size, data.Length - position - 8));
            if (id.SequenceEqual("fmt "u8))
            {
                channels = BinaryPrimitives.ReadInt16LittleEndian(body[2..]);
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                bitsPerSample = BinaryPrimitives.ReadInt16LittleEndian(body[14..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (channels != 1 || bitsPerSample != 16 || sampleRate != expectedSampleRate)
                {
                    throw new InvalidDataException(
                        $"{path}: expected 16-bit mono at {expectedSampleRate} Hz, found {bitsPerSample}-bit, {channels} channel(s) at {sampleRate} Hz.");
                }

                var samples = new float[body.Length / 2];
                for (int i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(body.Slice(2 * i, 2)) / 32768f;
                }

                return samples;
            }

            position += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"{path} has no data chunk.");
    }
}
