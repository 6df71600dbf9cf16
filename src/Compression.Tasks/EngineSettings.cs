using Compression.Tasks.Metadata;
using Engine = Compression.Onnx;

namespace Compression.Tasks;

/// <summary>Maps the validated item settings onto the engine's <see cref="Engine.CompressionSettings"/>, one property each.</summary>
internal static class EngineSettings
{
    public static Engine.CompressionSettings From(ModelItemSettings settings) => new()
    {
        Quantize = settings.Quantize switch
        {
            Quantization.None => Engine.QuantizationType.None,
            Quantization.Int8 => Engine.QuantizationType.Int8,
            Quantization.UInt8 => Engine.QuantizationType.UInt8,
            Quantization.Int4 => Engine.QuantizationType.Int4,
            Quantization.UInt4 => Engine.QuantizationType.UInt4,
            Quantization.Float16 => Engine.QuantizationType.Float16,
            Quantization.BFloat16 => Engine.QuantizationType.BFloat16,
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Quantize, "unknown Quantize"),
        },
        Mode = settings.Mode switch
        {
            null => Engine.QuantizationMode.Default,
            Metadata.QuantizationMode.Dynamic => Engine.QuantizationMode.Dynamic,
            Metadata.QuantizationMode.WeightOnly => Engine.QuantizationMode.WeightOnly,
            Metadata.QuantizationMode.Static => Engine.QuantizationMode.Static,
            Metadata.QuantizationMode.Full => Engine.QuantizationMode.Full,
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Mode, "unknown Mode"),
        },
        PerChannel = settings.PerChannel ?? true,
        Symmetric = settings.Symmetric,
        BlockSize = settings.BlockSize ?? 32,
        AccuracyLevel = settings.AccuracyLevel,
        WeightRange = settings.WeightRange == Metadata.WeightRange.Full ? Engine.WeightRange.Full : Engine.WeightRange.Portable,
        Sparsity = settings.Sparsity,

        // The engine prunes when Sparsity > 0; "None" is Sparsity 0 (the sanity check guarantees it).
        Pruning = settings.Pruning switch
        {
            Metadata.PruningMethod.None or Metadata.PruningMethod.Unstructured => Engine.PruningMethod.Unstructured,
            Metadata.PruningMethod.Global => Engine.PruningMethod.Global,
            Metadata.PruningMethod.TwoFour => Engine.PruningMethod.TwoOfFour,
            Metadata.PruningMethod.Channel => Engine.PruningMethod.Channel,
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Pruning, "unknown Pruning"),
        },
        CalibrationDataPath = settings.CalibrationData,
        ValidationDataPath = settings.ValidationData,
        Validate = settings.Validate,
        Tolerance = settings.Tolerance,
        AutoFallback = settings.AutoFallback,
        ExcludeNodes = settings.ExcludeNodes,
        ExcludeOps = settings.ExcludeOps,
        Optimize = settings.Optimize switch
        {
            GraphOptimization.None => Engine.OptimizationLevel.None,
            GraphOptimization.Basic => Engine.OptimizationLevel.Basic,
            GraphOptimization.Extended => Engine.OptimizationLevel.Extended,
            GraphOptimization.All => Engine.OptimizationLevel.All,
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Optimize, "unknown Optimize"),
        },
        Format = settings.Format == Metadata.ModelFormat.Ort ? Engine.ModelFormat.Ort : Engine.ModelFormat.Onnx,
        TargetOpset = settings.TargetOpset,
    };
}
