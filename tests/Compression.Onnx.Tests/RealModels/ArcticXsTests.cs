using Compression.Testing.Transformer;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Onnx.Tests.RealModels;

/// <summary>
/// The real transformer and its real sentences are usable: the model comes out of the NuGet package, the
/// tokenizer matches its vocabulary, and the float model solves the retrieval task the compression tests
/// measure against (each app summary finds its own description).
/// </summary>
[TestClass]
public sealed class ArcticXsTests
{
    [TestMethod]
    public void Tokenizer_wraps_text_in_cls_and_sep_and_pads()
    {
        var batch = ArcticXs.Tokenize(["Hello world", "a much longer sentence about image editing"], maxTokens: 32);
        Assert.AreEqual(2, batch.Batch);
        Assert.AreEqual(101, batch.InputIds[0], "[CLS] of the BERT uncased vocabulary");
        Assert.AreEqual(102, batch.InputIds[3], "[SEP] after two word pieces");
        Assert.AreEqual(0, batch.AttentionMask[4], "padding of the shorter row is masked");
        Assert.AreEqual(0, batch.InputIds[4], "[PAD] id");
        Assert.AreEqual(400, AppDescriptions.All.Count);
    }

    [TestMethod]
    public void Float_model_retrieves_app_descriptions_from_their_summaries()
    {
        var apps = AppDescriptions.All.Take(48).ToArray();
        using var session = new InferenceSession(ArcticXs.ModelPath, new SessionOptions { IntraOpNumThreads = 1 });
        float[][] queries = Embed(session, apps.Select(a => ArcticXs.QueryPrefix + a.Summary).ToArray());
        float[][] documents = Embed(session, apps.Select(a => a.Description).ToArray());

        double top1 = Embeddings.Top1Accuracy(Embeddings.TopK(queries, documents, 1));
        Console.WriteLine($"arctic-embed-xs float top-1 retrieval over {apps.Length} apps: {top1:P1}");
        // A model that ignores its input ranks at chance (1/48); the real one finds most summaries' own description.
        Assert.IsTrue(top1 >= 0.6, $"top-1 {top1:P1}");
    }

    private static float[][] Embed(InferenceSession session, string[] texts)
    {
        var batch = ArcticXs.Tokenize(texts, maxTokens: 64);
        using var ids = OrtValue.CreateTensorValueFromMemory(batch.InputIds, batch.Shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, batch.Shape);
        using var types = OrtValue.CreateTensorValueFromMemory(batch.TokenTypeIds, batch.Shape);
        using var results = session.Run(new RunOptions(), ["input_ids", "attention_mask", "token_type_ids"], [ids, mask, types], ["last_hidden_state"]);
        return Embeddings.Cls(results[0].GetTensorDataAsSpan<float>(), batch.Batch, batch.Sequence, ArcticXs.HiddenSize);
    }
}
