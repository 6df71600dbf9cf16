using System.Globalization;
using Onnx;

namespace Compression.Onnx.IO;

/// <summary>The <c>location</c>/<c>offset</c>/<c>length</c> entries of a tensor stored as external data.</summary>
internal readonly record struct ExternalDataReference(string Location, long Offset, long? Length)
{
    public static ExternalDataReference Parse(TensorProto tensor, string? modelPath)
    {
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (StringStringEntryProto entry in tensor.ExternalData)
        {
            switch (entry.Key)
            {
                case "location":
                    location = entry.Value;
                    break;
                case "offset":
                    offset = ParseNumber(entry.Value, "offset", tensor, modelPath);
                    break;
                case "length":
                    length = ParseNumber(entry.Value, "length", tensor, modelPath);
                    break;
                default:
                    // "checksum" and future keys carry no layout information.
                    break;
            }
        }

        if (string.IsNullOrEmpty(location))
        {
            throw ExternalDataErrors.OutOfRange(modelPath, tensor, "it has no 'location' entry");
        }

        return new ExternalDataReference(location, offset, length);
    }

    private static long ParseNumber(string text, string key, TensorProto tensor, string? modelPath)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            throw ExternalDataErrors.OutOfRange(modelPath, tensor, $"its '{key}' is '{text}', not a non-negative integer");
        }

        return value;
    }
}
