using System.Globalization;
using Compression.Onnx.Graph;
using Compression.Onnx.Passes;

namespace Compression.Onnx.Quantization;

/// <summary>
/// Decides which constants are weights worth compressing and along which axis their channels run. Normalisation
/// statistics, run-time parameters (scales of <c>Resize</c>, bounds of <c>Clip</c>...), tiny tensors and tensors
/// read by excluded nodes are never touched: quantizing BatchNormalization variances to 8 bits collapses models.
/// </summary>
internal static class WeightSelection
{
    /// <summary>CMP4002: the settings selected no weight; <paramref name="action"/> is what the pass would have done ("quantize", "convert").</summary>
    public static CompressionException NothingSelected(CompressionContext context, string action) => new(
        DiagnosticCodes.NothingToCompress,
        string.Create(CultureInfo.InvariantCulture, $"Quantize={context.Settings.Quantize} found no float32 weight of at least {context.Settings.EffectiveMinimumWeightElements} elements to {action}."),
        context.SourcePath,
        "The model has no float32 weights, or all of them are small, excluded or normalisation statistics. Remove Quantize, lower MinimumWeightElements, or check ExcludeNodes/ExcludeOps.");

    /// <summary>(op type, input index) pairs that hold statistics or parameters rather than weights.</summary>
    private static readonly HashSet<(string Op, int Input)> NotWeights =
    [
        ("BatchNormalization", 1), ("BatchNormalization", 2), ("BatchNormalization", 3), ("BatchNormalization", 4),
        ("InstanceNormalization", 1), ("InstanceNormalization", 2),
        ("LayerNormalization", 1), ("LayerNormalization", 2),
        ("GroupNormalization", 1), ("GroupNormalization", 2),
        ("RMSNormalization", 1), ("SkipLayerNormalization", 2), ("SkipLayerNormalization", 3), ("SkipLayerNormalization", 4),
        ("SimplifiedLayerNormalization", 1), ("SkipSimplifiedLayerNormalization", 2),
        ("Resize", 1), ("Resize", 2), ("Resize", 3), ("Upsample", 1), ("Clip", 1), ("Clip", 2), ("Pad", 2),
        ("DequantizeLinear", 1), ("QuantizeLinear", 1),
    ];

    /// <summary>Whether <paramref name="constant"/> is a float32 weight that a pass may rewrite under <paramref name="settings"/>.</summary>
    public static bool IsCandidate(Weight constant, CompressionSettings settings)
    {
        if (!constant.IsFloat32 || constant.Readers.Count == 0 || constant.ElementCount < Math.Max(1, settings.EffectiveMinimumWeightElements))
        {
            return false;
        }

        foreach (var use in constant.Readers)
        {
            if (ModelGraph.IsExcluded(use.Node!, settings) || NotWeights.Contains((use.OpType, use.InputIndex)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether every value is finite (an infinity or NaN has no affine encoding).</summary>
    public static bool IsFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values) if (!float.IsFinite(v)) return false;
        return true;
    }

    /// <summary>
    /// The axis whose slices get their own scale: output channels of Conv (0) and ConvTranspose (1), columns of a
    /// MatMul/Gemm right-hand side, rows of an embedding table, the gate axis of recurrent weights, else axis 0
    /// (the output axis of most frameworks' layouts). <see langword="null"/> (per tensor) for vectors and when off.
    /// </summary>
    public static int? ChannelAxis(Weight constant, bool perChannel)
    {
        int rank = constant.Dims.Count;
        if (!perChannel || rank < 2) return null;
        var use = constant.Readers[0];
        var node = use.Node!;
        int axis = (node.OpType, use.InputIndex) switch
        {
            ("ConvTranspose", 1) => 1,
            ("MatMul", 1) => rank - 1,
            ("Gemm", 1) => node.GetInt("transB", 0) != 0 ? 0 : 1,
            ("Gemm", 0) => node.GetInt("transA", 0) != 0 ? 1 : 0,
            ("LSTM" or "GRU" or "RNN", 1 or 2) => 1,
            _ => 0,
        };
        return constant.Dims[axis] > 1 ? axis : null;
    }
}
