using Microsoft.ML.Tokenizers;

namespace Compression.Testing.Transformer;

/// <summary>
/// A padded batch of BERT inputs, row-major [batch, sequence]: token ids, the attention mask (1 for a token,
/// 0 for padding) and token type ids (all 0 for single sentences), as the model's int64 inputs.
/// </summary>
internal sealed class TokenBatch
{
    private TokenBatch(int batch, int sequence)
    {
        Batch = batch;
        Sequence = sequence;
        InputIds = new long[batch * sequence];
        AttentionMask = new long[batch * sequence];
        TokenTypeIds = new long[batch * sequence];
    }

    public int Batch { get; }

    public int Sequence { get; }

    public long[] InputIds { get; }

    public long[] AttentionMask { get; }

    public long[] TokenTypeIds { get; }

    /// <summary>The shape of each input: [batch, sequence].</summary>
    public long[] Shape => [Batch, Sequence];

    /// <summary>Tokenizes with [CLS] ... [SEP], truncated to <paramref name="maxTokens"/>, padded to the longest text.</summary>
    public static TokenBatch Create(BertTokenizer tokenizer, IReadOnlyList<string> texts, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 2);
        var rows = new List<IReadOnlyList<int>>(texts.Count);
        foreach (string text in texts)
        {
            var ids = tokenizer.EncodeToIds(text, addSpecialTokens: true, considerPreTokenization: true, considerNormalization: true);
            if (ids.Count > maxTokens)
            {
                // Keep [CLS] + the first tokens, and end with [SEP] as the model was trained.
                var cut = new List<int>(maxTokens);
                cut.AddRange(ids.Take(maxTokens - 1));
                cut.Add(tokenizer.SeparatorTokenId);
                ids = cut;
            }

            rows.Add(ids);
        }

        int sequence = rows.Count == 0 ? 0 : rows.Max(r => r.Count);
        var batch = new TokenBatch(rows.Count, sequence);
        for (int b = 0; b < rows.Count; b++)
        {
            for (int t = 0; t < rows[b].Count; t++)
            {
                batch.InputIds[(b * sequence) + t] = rows[b][t];
                batch.AttentionMask[(b * sequence) + t] = 1;
            }

            for (int t = rows[b].Count; t < sequence; t++) batch.InputIds[(b * sequence) + t] = tokenizer.PaddingTokenId;
        }

        return batch;
    }
}
