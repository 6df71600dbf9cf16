using System.Globalization;

namespace Compression.Onnx.Pruning;

/// <summary>Coded errors for out-of-range pruning settings.</summary>
internal static class PruningSettingsCheck
{
    public static void Sparsity(double sparsity)
    {
        if (!(sparsity >= 0 && sparsity <= 0.99))
        {
            throw new CompressionException(
                DiagnosticCodes.InvalidPruningSettings,
                string.Create(CultureInfo.InvariantCulture, $"Sparsity={sparsity} is outside 0..0.99."),
                null,
                "Give the fraction of weights (or channels) to remove, for example 0.5.");
        }
    }

    public static CompressionException Invalid(string message, string help) => new(DiagnosticCodes.InvalidPruningSettings, message, null, help);
}
