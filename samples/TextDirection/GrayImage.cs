namespace TextDirection;

/// <summary>An 8-bit grayscale image read from a binary PGM (P5) file: enough for this sample without an imaging library.</summary>
internal sealed class GrayImage
{
    private GrayImage(int width, int height, byte[] pixels)
    {
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    public static GrayImage ReadPgm(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int position = 0;
        if (NextToken(bytes, ref position) != "P5")
        {
            throw new InvalidDataException($"{path} is not a binary PGM (P5) file.");
        }

        int width = int.Parse(NextToken(bytes, ref position), System.Globalization.CultureInfo.InvariantCulture);
        int height = int.Parse(NextToken(bytes, ref position), System.Globalization.CultureInfo.InvariantCulture);
        int maxValue = int.Parse(NextToken(bytes, ref position), System.Globalization.CultureInfo.InvariantCulture);
        position++; // the single whitespace byte before the pixels
        if (maxValue != 255 || bytes.Length - position < width * height)
        {
            throw new InvalidDataException($"{path}: expected {width}x{height} 8-bit pixels.");
        }

        return new GrayImage(width, height, bytes.AsSpan(position, width * height).ToArray());
    }

    /// <summary>The same image turned upside down (rotated by 180 degrees).</summary>
    public GrayImage Rotated180()
    {
        var pixels = (byte[])Pixels.Clone();
        Array.Reverse(pixels);
        return new GrayImage(Width, Height, pixels);
    }

    /// <summary>
    /// The classifier's input: <c>[1, 3, 48, 192]</c>, values scaled to [-1, 1] as PaddleOCR does
    /// (<c>(v / 255 - 0.5) / 0.5</c>), gray repeated in the three channels.
    /// </summary>
    public float[] ToClassifierInput()
    {
        var input = new float[3 * Height * Width];
        int plane = Height * Width;
        for (int i = 0; i < plane; i++)
        {
            float v = (Pixels[i] / 255f - 0.5f) / 0.5f;
            input[i] = v;
            input[plane + i] = v;
            input[(2 * plane) + i] = v;
        }

        return input;
    }

    private static string NextToken(byte[] bytes, ref int position)
    {
        while (position < bytes.Length && (char.IsWhiteSpace((char)bytes[position]) || bytes[position] == '#'))
        {
            if (bytes[position] == '#')
            {
                while (position < bytes.Length && bytes[position] != '\n')
                {
                    position++;
                }
            }
            else
            {
                position++;
            }
        }

        int start = position;
        while (position < bytes.Length && !char.IsWhiteSpace((char)bytes[position]))
        {
            position++;
        }

        return System.Text.Encoding.ASCII.GetString(bytes, start, position - start);
    }
}
