namespace Compression.Testing.Transformer;

/// <summary>Sentence embeddings from <c>last_hidden_state</c> and the retrieval metrics the transformer tests report.</summary>
internal static class Embeddings
{
    /// <summary>
    /// The [CLS] vector of each row of <paramref name="lastHiddenState"/> ([batch, sequence, hidden]), L2-normalised:
    /// arctic-embed's pooling.
    /// </summary>
    public static float[][] Cls(ReadOnlySpan<float> lastHiddenState, int batch, int sequence, int hidden)
    {
        if (lastHiddenState.Length != (long)batch * sequence * hidden) throw new ArgumentException("Shape does not match the data.", nameof(lastHiddenState));
        var result = new float[batch][];
        for (int b = 0; b < batch; b++)
        {
            var row = lastHiddenState.Slice(b * sequence * hidden, hidden).ToArray();
            double norm = 0;
            foreach (float v in row) norm += (double)v * v;
            float inverse = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0f;
            for (int i = 0; i < hidden; i++) row[i] *= inverse;
            result[b] = row;
        }

        return result;
    }

    /// <summary>Cosine of two vectors, in double precision.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("Lengths differ.", nameof(b));
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return na == 0 || nb == 0 ? (na == nb ? 1 : 0) : dot / Math.Sqrt(na * nb);
    }

    /// <summary>For each query, the indices of the <paramref name="k"/> documents with the highest dot product (ties: lower index first).</summary>
    public static int[][] TopK(float[][] queries, float[][] documents, int k)
    {
        var result = new int[queries.Length][];
        var scores = new double[documents.Length];
        for (int q = 0; q < queries.Length; q++)
        {
            for (int d = 0; d < documents.Length; d++)
            {
                double dot = 0;
                for (int i = 0; i < queries[q].Length; i++) dot += (double)queries[q][i] * documents[d][i];
                scores[d] = dot;
            }

            result[q] = Enumerable.Range(0, documents.Length).OrderByDescending(d => scores[d]).ThenBy(d => d).Take(k).ToArray();
        }

        return result;
    }

    /// <summary>Share of queries whose own document (same index) ranks first: the retrieval task the tests use.</summary>
    public static double Top1Accuracy(int[][] ranking)
    {
        int hits = 0;
        for (int q = 0; q < ranking.Length; q++) if (ranking[q].Length > 0 && ranking[q][0] == q) hits++;
        return ranking.Length == 0 ? 0 : (double)hits / ranking.Length;
    }
}
