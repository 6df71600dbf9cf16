using System.Globalization;
using Compression.Onnx.Graph;
using Compression.Onnx.IO;

namespace Compression.Onnx.FourBit;

/// <summary>
/// <c>Quantize="Int4"</c> / <c>"UInt4"</c>, <c>Mode="WeightOnly"</c>: stores the weights of a model in 4 bits
/// wherever ONNX Runtime can run them, and says how many weights got which precision.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>B of MatMul / Gemm (transA 0) -> <c>com.microsoft MatMulNBits</c> (blocks along K).</item>
/// <item>Embedding tables read by axis-0 Gather -> <c>com.microsoft GatherBlockQuantized</c>.</item>
/// <item>Other weights of rank 2+ (Conv, LSTM...) -> opset-21 blocked int4/uint4 <c>DequantizeLinear</c> when the
/// model's opset is 21 or later. Below opset 21 they are left as they are and listed in
/// <see cref="FourBitReport.EightBitCandidates"/>: the pipeline (<see cref="ModelCompressor"/>) stores them with the
/// 8-bit weight-only pass.</item>
/// <item>Biases, normalisation parameters, 1-D and small tensors, non-float32 and non-finite weights stay as they are.</item>
/// </list>
/// Weights are found wherever they live (initializers, Constant nodes, If/Loop/Scan subgraphs); node names,
/// inputs and outputs are unchanged.
/// </remarks>
public sealed class FourBitQuantizer
{
    /// <summary>Creates the pass.</summary>
    /// <param name="options">What to do; checked when the pass runs.</param>
    public FourBitQuantizer(FourBitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The options the pass runs with.</summary>
    public FourBitOptions Options { get; }

    /// <inheritdoc />
    public void Apply(OnnxModel model, CancellationToken cancellationToken = default) => Quantize(model, cancellationToken);

    /// <summary>Rewrites <paramref name="model"/> in place.</summary>
    /// <param name="model">The model.</param>
    /// <param name="cancellationToken">Stops between weights.</param>
    /// <returns>How many weights got which precision.</returns>
    /// <exception cref="CompressionException">CMP4400/CMP4401 for bad options, CMP4402 when no weight could be quantized in 4 or 8 bits.</exception>
    public FourBitReport Quantize(OnnxModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Quantize(ModelGraph.Build(model), _ => { }, weightsDone: null, cancellationToken);
    }

    /// <summary>
    /// The walk: every float weight in graph order goes to the first 4-bit form whose readers take it, or stays in float
    /// with a reason, or (a form the opset lacks) is left for the next rewrite; <paramref name="claim"/> hears every
    /// weight decided here and every tensor written, <paramref name="weightsDone"/> (weights done, weights) each weight
    /// as it starts, or nobody when null.
    /// </summary>
    internal FourBitReport Quantize(ModelGraph model, Action<string> claim, Action<int, int>? weightsDone, CancellationToken cancellationToken)
    {
        Options.Validate(model.FilePath);
        var matMul = new MatMulNBitsRewrite(model, Options, claim);
        var gather = new GatherBlockRewrite(model, Options, claim);
        var blocked = new BlockedDequantizeRewrite(model, Options, claim);
        IFourBitRewrite[] forms = [matMul, gather, blocked];
        var reasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var eightBitCandidates = new List<string>();
        int floatWeights = 0;
        long before = 0, after = 0;

        var weights = model.Weights.FloatWeights;
        int seen = 0;
        foreach (Weight weight in weights)
        {
            cancellationToken.ThrowIfCancellationRequested();
            weightsDone?.Invoke(seen++, weights.Count);
            string? reason = WeightClassifier.KeepFloatReason(weight, Options);
            IFourBitRewrite? form = reason is null ? Array.Find(forms, f => f.Accepts(weight)) : null;
            float[]? values = null;
            if (form is not null)
            {
                values = weight.ReadFloats();
                if (!Compression.Kernels.FiniteValues.All(values))
                {
                    form = null;
                    reason = "contains NaN or infinity";
                }
            }

            if (form is null)
            {
                floatWeights++;
                reasons[reason!] = reasons.GetValueOrDefault(reason!) + 1;
                claim(weight.Name);
                continue;
            }

            if (form.UsesContribOperators)
            {
                Opsets.EnsureImport(model.Proto, Opsets.MicrosoftDomain, 1);
            }

            if (model.Opset < form.MinimumOpset)
            {
                eightBitCandidates.Add(weight.Name);
                continue;
            }

            before += weight.ElementCount * 4;
            after += form.Rewrite(weight, values!, cancellationToken);
            claim(weight.Name);
        }

        weightsDone?.Invoke(seen, weights.Count);
        if (eightBitCandidates.Count > 0)
        {
            reasons[string.Create(CultureInfo.InvariantCulture, $"left for 8-bit weight-only: not MatMul/Gemm/Gather weights, and blocked int4 DequantizeLinear needs opset 21 (model: {model.Opset})")] = eightBitCandidates.Count;
        }

        var report = new FourBitReport
        {
            MatMulNBitsWeights = matMul.Weights,
            MatMulNodes = matMul.MatMulNodes,
            GemmNodes = matMul.GemmNodes,
            GatherBlockQuantizedWeights = gather.Weights,
            BlockedFourBitWeights = blocked.Weights,
            EightBitCandidates = eightBitCandidates,
            FloatWeights = floatWeights,
            BytesBefore = before,
            BytesAfter = after,
            Notes = reasons.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Value} weights: {r.Key}")).ToArray(),
        };
        if (matMul.Weights + gather.Weights + blocked.Weights + eightBitCandidates.Count == 0)
        {
            throw new CompressionException(
                DiagnosticCodes.NothingToQuantizeInFourBits,
                $"Quantize={Options.TypeName} found no float32 weight of at least {Options.MinimumWeightElements} elements it could store in 4 or 8 bits ({string.Join("; ", report.Notes)}).",
                model.FilePath,
                "The model has no large float32 weights, or all of them are excluded, biases or normalisation parameters. Remove Quantize, or check ExcludeNodes/ExcludeOps.");
        }

        return report;
    }
}
