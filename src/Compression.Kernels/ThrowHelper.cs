using System.Diagnostics.CodeAnalysis;

namespace Compression.Kernels;

/// <summary>Throw helpers keep argument checks out of the hot paths' inlined code.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void DestinationTooShort(string paramName) =>
        throw new ArgumentException("Destination is too short for the result.", paramName);

    [DoesNotReturn]
    public static void LengthMismatch(string paramName) =>
        throw new ArgumentException("Span lengths do not match the shape.", paramName);

    [DoesNotReturn]
    public static void OutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn]
    public static void Argument(string paramName, string message) =>
        throw new ArgumentException(message, paramName);

    /// <summary>Checks that <c>values</c> has exactly <c>outer*channels*inner</c> elements.</summary>
    public static void CheckShape(int length, int outer, int channels, int inner, string paramName)
    {
        if (outer < 0 || channels < 0 || inner < 0)
        {
            OutOfRange(paramName, "Shape dimensions must be non-negative.");
        }

        if ((long)outer * channels * inner != length)
        {
            LengthMismatch(paramName);
        }
    }

    public static void CheckBlockSize(int blockSize, string paramName)
    {
        if (blockSize <= 0)
        {
            OutOfRange(paramName, "Block size must be positive.");
        }
    }
}
