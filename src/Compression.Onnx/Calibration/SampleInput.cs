using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Onnx.Calibration;

/// <summary>A model input a sample set must feed: its name, and when known its element type and dims (null = symbolic).</summary>
internal sealed record SampleInput(string Name, TensorElementType? ElementType, long?[]? Dims)
{
    /// <summary>The inputs of a loaded session, with types and shapes, so mismatched data is caught before a run.</summary>
    public static List<SampleInput> From(InferenceSession session)
    {
        var result = new List<SampleInput>();
        foreach (string name in session.InputNames)
        {
            var meta = session.InputMetadata[name];
            long?[]? dims = meta.IsTensor ? meta.Dimensions.Select(d => d >= 0 ? (long?)d : null).ToArray() : null;
            result.Add(new SampleInput(name, meta.IsTensor ? meta.ElementDataType : null, dims));
        }

        return result;
    }

    /// <summary>Inputs known only by name (types and shapes are then checked by ONNX Runtime when the sample runs).</summary>
    public static List<SampleInput> FromNames(IEnumerable<string> names) => names.Select(n => new SampleInput(n, null, null)).ToList();
}
