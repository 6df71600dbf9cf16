namespace Compression.Onnx;

/// <summary>The result of running the original and the compressed model on the same inputs in ONNX Runtime.</summary>
public sealed class ValidationReport
{
    /// <summary>Creates a report.</summary>
    public ValidationReport(int inputCount, string inputSource, IReadOnlyList<OutputDeviation> outputs, string? skippedReason = null)
    {
        InputCount = inputCount;
        InputSource = inputSource;
        Outputs = outputs;
        SkippedReason = skippedReason;
    }

    /// <summary>Why nothing was compared (the original model rejects every synthesised input), or <see langword="null"/>.</summary>
    public string? SkippedReason { get; }

    /// <summary>How many input sets were run.</summary>
    public int InputCount { get; }

    /// <summary>Where the inputs came from: the validation data folder, or <c>synthesised</c>.</summary>
    public string InputSource { get; }

    /// <summary>The deviation of each output, in the model's output order.</summary>
    public IReadOnlyList<OutputDeviation> Outputs { get; }

    /// <summary>Integer inputs that were synthesised (all 0): a check on them proves little about real use.</summary>
    public IReadOnlyList<string> SynthesisedIntegerInputs { get; init; } = [];

    /// <summary>The largest absolute difference over all outputs.</summary>
    public double MaxAbsoluteDifference => Outputs.Count == 0 ? 0 : Outputs.Max(o => o.MaxAbsoluteDifference);

    /// <summary>The smallest cosine similarity over all outputs.</summary>
    public double MinCosineSimilarity => Outputs.Count == 0 ? 1 : Outputs.Min(o => o.CosineSimilarity);
}
