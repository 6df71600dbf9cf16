using Compression.Onnx.Graph;

namespace Compression.Onnx.FourBit;

/// <summary>
/// One 4-bit form, chosen by the operators that read a weight (the 4-bit counterpart of ONNX Runtime's per-operator
/// quantizers): <see cref="MatMulNBitsRewrite"/> for MatMul/Gemm, <see cref="GatherBlockRewrite"/> for embedding Gathers,
/// <see cref="BlockedDequantizeRewrite"/> for any other weight. <see cref="FourBitQuantizer"/> asks them in that order.
/// </summary>
internal interface IFourBitRewrite
{
    /// <summary>Whether the weight's readers take this form (checked after the common rules of <see cref="WeightClassifier"/>).</summary>
    bool Accepts(Weight weight);

    /// <summary>Whether the form uses ONNX Runtime's <c>com.microsoft</c> operators (the model then imports that domain).</summary>
    bool UsesContribOperators { get; }

    /// <summary>The default-domain opset the form needs; a weight of an older model is left for the next rewrite (8-bit).</summary>
    int MinimumOpset { get; }

    /// <summary>How many weights it stored.</summary>
    int Weights { get; }

    /// <summary>Stores <paramref name="weight"/> (finite <paramref name="values"/>) in 4 bits and rewrites its readers; returns the bytes stored.</summary>
    long Rewrite(Weight weight, float[] values, CancellationToken cancellationToken);
}
