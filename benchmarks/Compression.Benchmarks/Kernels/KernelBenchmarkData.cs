namespace Compression.Benchmarks.Kernels;

/// <summary>Inputs shared by the kernel benchmarks: Gaussian weights with outliers, fixed seed.</summary>
internal static class KernelBenchmarkData
{
    /// <summary>1 M, 16 M and 64 M floats.</summary>
    public static IEnumerable<int> Lengths => [1 << 20, 1 << 24, 1 << 26];

    public static float[] Weights(int length, int seed = 42)
    {
        float[] values = GC.AllocateUninitializedArray<float>(length);
        var random = new Random(seed);
        for (int i = 0; i < length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double r = 0.02 * Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = (float)(r * Math.Cos(2.0 * Math.PI * u2));
            if (i + 1 < length)
            {
                values[i + 1] = (float)(r * Math.Sin(2.0 * Math.PI * u2));
            }
        }

        for (int i = 0; i < length / 1000; i++)
        {
            values[random.Next(length)] = (float)(random.NextDouble() - 0.5);
        }

        return values;
    }

    /// <summary>A vectorised read of every element, in parallel chunks: the all-core read bandwidth.</summary>
    public static float ParallelSum(float[] values)
    {
        const int Chunk = 1 << 20;
        int chunks = (values.Length + Chunk - 1) / Chunk;
        var partial = new float[chunks];
        Parallel.For(0, chunks, c =>
        {
            int start = c * Chunk;
            partial[c] = System.Numerics.Tensors.TensorPrimitives.Sum(values.AsSpan(start, Math.Min(Chunk, values.Length - start)));
        });
        return partial.Sum();
    }

    /// <summary>A parallel copy: the all-core copy bandwidth.</summary>
    public static void ParallelCopy(float[] source, float[] destination)
    {
        const int Chunk = 1 << 20;
        int chunks = (source.Length + Chunk - 1) / Chunk;
        Parallel.For(0, chunks, c =>
        {
            int start = c * Chunk;
            int count = Math.Min(Chunk, source.Length - start);
            source.AsSpan(start, count).CopyTo(destination.AsSpan(start, count));
        });
    }
}
