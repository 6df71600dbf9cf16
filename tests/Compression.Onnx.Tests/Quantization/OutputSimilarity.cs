namespace Compression.Onnx.Tests.Quantization;

/// <summary>Cosine of two outputs, written here rather than taken from Compression.Kernels so tests do not check the code with itself.</summary>
internal static class OutputSimilarity
{
    public static double Cosine(float[] a, float[] b)
    {
        double d = 0, x = 0, y = 0;
        for (int i = 0; i < a.Length; i++) { d += (double)a[i] * b[i]; x += (double)a[i] * a[i]; y += (double)b[i] * b[i]; }
        return d / Math.Sqrt(x * y);
    }
}
