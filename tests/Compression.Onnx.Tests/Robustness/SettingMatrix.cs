namespace Compression.Onnx.Tests.Robustness;

/// <summary>Every setting a user can pick, once each, named the way the item metadata says it.</summary>
internal static class SettingMatrix
{
    private static CompressionSettings Q(QuantizationType type, QuantizationMode mode) => new() { Quantize = type, Mode = mode };

    private static CompressionSettings P(PruningMethod method, double sparsity) => new() { Pruning = method, Sparsity = sparsity };

    /// <summary>Each quantization type with each of its modes, and each pruning method (Static needs calibration data: not here).</summary>
    public static IReadOnlyList<(string Name, CompressionSettings Settings)> Compact { get; } =
    [
        ("Int8 Dynamic", Q(QuantizationType.Int8, QuantizationMode.Dynamic)),
        ("Int8 WeightOnly", Q(QuantizationType.Int8, QuantizationMode.WeightOnly)),
        ("UInt8 Dynamic", Q(QuantizationType.UInt8, QuantizationMode.Dynamic)),
        ("UInt8 WeightOnly", Q(QuantizationType.UInt8, QuantizationMode.WeightOnly)),
        ("Int4", Q(QuantizationType.Int4, QuantizationMode.WeightOnly)),
        ("UInt4", Q(QuantizationType.UInt4, QuantizationMode.WeightOnly)),
        ("Float16 WeightOnly", Q(QuantizationType.Float16, QuantizationMode.WeightOnly)),
        ("Float16 Full", Q(QuantizationType.Float16, QuantizationMode.Full)),
        ("BFloat16 WeightOnly", Q(QuantizationType.BFloat16, QuantizationMode.WeightOnly)),
        ("BFloat16 Full", Q(QuantizationType.BFloat16, QuantizationMode.Full)),
        ("Unstructured 0.5", P(PruningMethod.Unstructured, 0.5)),
        ("Global 0.5", P(PruningMethod.Global, 0.5)),
        ("2:4", P(PruningMethod.TwoOfFour, 0.5)),
        ("Channel 0.25", P(PruningMethod.Channel, 0.25)),
    ];

    public static CompressionSettings Named(string name) => Compact.Single(s => s.Name == name).Settings;
}
