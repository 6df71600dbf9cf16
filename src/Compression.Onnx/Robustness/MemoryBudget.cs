using System.Globalization;
using Compression.Onnx.IO;
using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.Robustness;

/// <summary>
/// Fails fast, before any pass allocates, when a model's tensors cannot fit in the memory the process can get: a file
/// whose external data claims tens of gigabytes (a sparse file takes no disk) would otherwise end in an
/// <see cref="OutOfMemoryException"/> minutes later, or in the machine swapping.
/// </summary>
internal static class MemoryBudget
{
    /// <summary>
    /// A pass holds the loaded tensors and the compressed ones it builds, and reads one weight at a time as float32:
    /// the need is the tensors' bytes twice, plus the largest weight as floats (it stays well under this for
    /// quantization, whose output is smaller than its input).
    /// </summary>
    public static long EstimateNeed(OnnxModel model)
    {
        long total = 0, largestFloats = 0;
        foreach (TensorProto tensor in ModelTensors.Collect(model.Proto, model.FilePath))
        {
            long count = TensorData.GetElementCount(tensor.Dims, tensor.Name, model.FilePath);
            long bytes = Math.Max(0, TensorData.GetByteCount(tensor.DataType, count, tensor.Name, model.FilePath));
            total = SaturatingAdd(total, bytes);
            largestFloats = Math.Max(largestFloats, count > long.MaxValue / 4 ? long.MaxValue : count * 4);
        }

        return SaturatingAdd(SaturatingAdd(total, total), largestFloats);
    }

    /// <summary>CMP1040 when <see cref="EstimateNeed"/> exceeds <paramref name="availableBytes"/> (default: what the GC says the process may use).</summary>
    public static void Check(OnnxModel model, string sourcePath, long? availableBytes = null)
    {
        long available = availableBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        long need = EstimateNeed(model);
        if (need > available)
        {
            throw new CompressionException(
                DiagnosticCodes.OutOfMemory,
                string.Create(CultureInfo.InvariantCulture, $"Compressing '{Path.GetFileName(sourcePath)}' needs about {Gigabytes(need)} of memory (its tensors twice, plus its largest weight as float32), but the process can use {Gigabytes(available)}."),
                sourcePath,
                "Build on a machine with more memory, or check the model: a tensor whose shape claims far more data than the model should hold means a damaged or crafted file.");
        }
    }

    private static string Gigabytes(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.##} MB");

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
